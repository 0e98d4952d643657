"""Benchmark at national scale: the data builder and the pages, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench_national .venv/bin/python bench/national.py build [--scale 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench_national .venv/bin/python bench/national.py run [--runs 20]

`build` fills the database (once; --rebuild drops it first) with 200,000 people (50,000 active),
2,000 care units, 1,000,000 requests, 1,000,000 inquiries, about 2,000,000 assignments with their
agreement, session and completion report, 2,000,000 fee lines in monthly payout batches and
500,000 evaluations, at --scale times those numbers. Everything is generated inside the server
with INSERT ... SELECT over generate_series and deterministic hashes of the ids (nothing crosses
the wire, the same data every time); the non-unique indexes and the foreign keys of the filled
tables are dropped during the load and made again afterwards (which checks every reference),
then the tables are vacuumed and analysed. Busy units and busy people are far busier than the rest (a
Zipf-like skew: unit k gets about k^-2/3 of the requests).

`run` signs in a coordinator and a finance officer (with a second factor, as the pages demand)
and times every page through Django's test client with the real middleware and templates,
printing p50, p95, SQL queries and the target of each; it exits 1 if a target is missed.

Only a database whose name contains "bench" is touched (the checks of bench/shortlist.py).
"""

# ruff: noqa: S608 - the SQL is built from numbers computed here, never from user text
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shortlist as common  # database checks, reference query, percentile

COORDINATOR_EMAIL = "bench-coordinator@bench.invalid"
FINANCE_EMAIL = "bench-finance@bench.invalid"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - coordinators must have a second factor; never used
MARKER = "p1@bench.invalid"  # the first made-up person: the data is built
START = "2016-01-01"

# The tables the builder fills: their non-unique indexes and foreign keys are dropped during the load.
FILLED = [
    "registry_experienceresource",
    "registry_experienceresource_areas",
    "registry_experienceresource_perspectives",
    "registry_experienceresource_contribution_types",
    "registry_awayperiod",
    "requests_app_careunit",
    "requests_app_unitrequest",
    "requests_app_unitrequest_areas",
    "requests_app_unitrequest_perspectives",
    "matching_conflict",
    "matching_inquiry",
    "assignments_assignment",
    "assignments_agreement",
    "assignments_session",
    "assignments_completionreport",
    "compensation_payoutbatch",
    "compensation_feeline",
    "evaluations_evaluation",
]
FIRST = ["Anna", "Erik", "Maria", "Lars", "Fatima", "Karl", "Eva", "Ali", "Sara", "Johan", "Leila", "Per", "Ingrid", "Omar"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Hassan", "Ahmed", "Lindqvist", "Berg", "Holm", "Ek"]
PLACES = ["Linköping", "Norrköping", "Stockholm", "Göteborg", "Malmö", "Uppsala", "Umeå", "Motala", "Luleå", "Kinda", ""]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build", "run"])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the national figures to build (default 1)")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the data again")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--queries", action="store_true", help="run: print each page's three slowest queries")
    parser.add_argument("--skip-refresh", action="store_true", help="build: do not count the statistics' figures")
    parser.add_argument(
        "--only", default="", help="run: time only the pages whose name contains this text (the floor is always timed)"
    )
    parser.add_argument("--profile", action="store_true", help="run: print each timed page's 25 costliest functions (cProfile)")
    return parser.parse_args()


class Sizes:
    def __init__(self, scale: float):
        def n(value: int, least: int) -> int:
            return max(least, round(value * scale))

        self.people = n(200_000, 400)
        self.active = self.people // 4  # the people whose id is a multiple of 4
        self.units = n(2_000, 20)
        self.requests = n(1_000_000, 2_000)
        self.inquiries = n(1_000_000, 2_000)
        self.assignments = n(2_000_000, 4_000)
        self.fee_lines = n(2_000_000, 4_000)
        self.evaluations = n(500_000, 1_000)


# A number in [0, 1) from an id, the same on every build (Knuth's multiplicative hash).
def unit_hash(expr: str, salt: int = 0) -> str:
    return f"((({expr})::bigint * 2654435761 + {salt}) % 4294967296)::float8 / 4294967296"


# --- building -----------------------------------------------------------------------------


def step(label: str, sql: str) -> int:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.rowcount
    print(f"  {label:<52} {max(rows, 0):>10,} rows {time.perf_counter() - started:7.1f} s", flush=True)
    return rows


def fetch(sql: str) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def drop_for_load() -> tuple[list[str], list[str]]:
    """Drops the filled tables' foreign keys and non-unique indexes; returns the SQL that makes them again."""
    tables = ", ".join(f"'{t}'::regclass" for t in FILLED)
    fks = fetch(
        f"""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE contype = 'f' AND (conrelid IN ({tables}) OR confrelid IN ({tables}))"""
    )
    indexes = fetch(
        f"""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid IN ({tables}) AND NOT i.indisunique AND NOT i.indisprimary"""
    )
    from django.db import connection

    recreate_fks = [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in fks]
    recreate_indexes = [definition for _, definition in indexes]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table, name, _ in fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    print(f"  dropped {len(fks)} foreign keys and {len(indexes)} indexes for the load {time.perf_counter() - started:16.1f} s")
    return recreate_indexes, recreate_fks


def build(args: argparse.Namespace) -> None:
    from django.db import connection, transaction

    from registry.models import ExperienceResource

    if ExperienceResource.objects.filter(email=MARKER).exists():
        print("Data already built (use --rebuild to build again).")
        return
    if ExperienceResource.objects.exists():
        sys.exit("The database holds other people: run again with --rebuild.")
    size = Sizes(args.scale)
    started = time.perf_counter()
    print(f"Building at scale {args.scale:g}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs:")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        indexes, fks = drop_for_load()
        fill(size)
        for definition in indexes:
            step(f"index {definition.split(' ON ')[0].split()[-1][:45]}", definition)
        for definition in fks:
            step(f"check {definition.split('CONSTRAINT')[1].split()[0][:45]}", definition)
        for table in FILLED:
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            step(f"sequence of {table}", f"SELECT setval({sequence}, (SELECT coalesce(max(id), 1) FROM {table}))")
    # As autovacuum would after a while: statistics, and the visibility map for index-only scans.
    step("VACUUM (ANALYZE)", "VACUUM (ANALYZE)")
    refresh_fairness()
    print(f"Built in {time.perf_counter() - started:.0f} s (load average now {os.getloadavg()[0]:.1f}).", flush=True)
    if not args.skip_refresh:
        from insights import figures

        started = time.perf_counter()
        state = figures.refresh()
        step("ANALYZE insights_figure", "ANALYZE insights_figure")
        print(f"Statistics' figures counted in {time.perf_counter() - started:.0f} s: {state.rows:,} rows.", flush=True)


def refresh_fairness() -> None:
    """What beat does every 10 minutes: the shortlist's kept fairness facts (matching.services)."""
    from matching.services import refresh_fairness

    started = time.perf_counter()
    rows = refresh_fairness()
    label = "fairness facts (matching.services.refresh_fairness)"
    print(f"  {label:<52} {rows:>10,} rows {time.perf_counter() - started:7.1f} s")
    step("ANALYZE matching_fairnessfacts", "ANALYZE matching_fairnessfacts")


def fill(size: Sizes) -> None:
    p, a, u, r = size.people, size.active, size.units, size.requests
    first = "ARRAY[" + ", ".join(f"'{x}'" for x in FIRST) + "]"
    last = "ARRAY[" + ", ".join(f"'{x}'" for x in LAST) + "]"
    places = "ARRAY[" + ", ".join(f"'{x}'" for x in PLACES) + "]"
    span = f"(now() - timestamptz '{START}')"
    step(
        "care units",
        f"""INSERT INTO requests_app_careunit (id, name, organisation, cost_centre, postal_address, is_active)
        SELECT g, 'Enhet ' || g, 'Region ' || (1 + g % 21), (40000 + g)::text, 'Box ' || g || ', 581 85 Linköping', true
        FROM generate_series(1, {u}) g""",
    )
    # People: every fourth is active (ids 4, 8, ...); the rest applied, paused or left.
    step(
        "people",
        f"""INSERT INTO registry_experienceresource (id, status, first_name, last_name, email, phone, municipality,
            birth_year, languages, story, support_needs, coordinator_notes, consent_version, consent_at, created_at,
            updated_at, intake_place, preferred_contact, status_reason, can_digital, can_on_site, suitable_times,
            training_completed_on, left_at, max_assignments_per_month)
        SELECT g,
            CASE g % 4 WHEN 0 THEN 'active' WHEN 1 THEN 'left'
                 WHEN 2 THEN (ARRAY['applied','intake_booked','paused'])[1 + g / 4 % 3] ELSE 'left' END,
            ({first})[1 + g % {len(FIRST)}], ({last})[1 + g / 7 % {len(LAST)}], 'p' || g || '@bench.invalid', '',
            ({places})[1 + floor({len(PLACES)} * power({unit_hash("g", 7)}, 2))::int],
            1935 + g * 37 % 73,
            CASE WHEN g % 20 = 0 THEN 'svenska, arabiska' WHEN g % 9 = 0 THEN 'svenska, engelska' ELSE 'svenska' END,
            '', '', '', '2026-1', t, t, t, '', 'email', '', g % 7 <> 0, g % 5 <> 0, '',
            CASE WHEN g % 4 = 0 THEN (t + interval '40 days')::date END,
            CASE WHEN g % 4 IN (1, 3) THEN t + interval '700 days' END,
            CASE WHEN g % 16 = 0 THEN 2 END
        FROM (SELECT g, timestamptz '{START}' + {span} * ((g - 1)::float8 / {p}) AS t FROM generate_series(1, {p}) g) s""",
    )
    step(
        "their experience areas (1-3)",
        f"""INSERT INTO registry_experienceresource_areas (experienceresource_id, experiencearea_id)
        SELECT r.id, x.id FROM generate_series(1, {p}) r(id)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM registry_experiencearea) x
          ON x.k IN (r.id % 19, CASE WHEN r.id % 3 <> 0 THEN (r.id * 7 + 3) % 19 END,
                     CASE WHEN r.id % 5 = 0 THEN (r.id * 11 + 5) % 19 END)""",
    )
    step(
        "their perspectives (1-2)",
        f"""INSERT INTO registry_experienceresource_perspectives (experienceresource_id, perspective_id)
        SELECT r.id, x.id FROM generate_series(1, {p}) r(id)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM registry_perspective) x
          ON x.k = r.id % 3 OR (r.id % 5 = 0 AND x.k = (r.id + 1) % 3)""",
    )
    step(
        "their ways of contributing (2-5)",
        f"""INSERT INTO registry_experienceresource_contribution_types (experienceresource_id, contributiontype_id)
        SELECT r.id, x.id FROM generate_series(1, {p}) r(id)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM registry_contributiontype) x
          ON (x.k + r.id) % x.n < 2 + r.id % 4""",
    )
    step(
        "away periods (5 % of the active)",
        f"""INSERT INTO registry_awayperiod (resource_id, starts_on, ends_on, note)
        SELECT g, current_date + (g % 200 - 60), current_date + (g % 200 - 60) + 3 + g % 40, ''
        FROM generate_series(4, {p}, 4) g WHERE g % 80 = 0""",
    )
    step(
        "conflicts of interest (1 % of the active)",
        f"""INSERT INTO matching_conflict (resource_id, unit_id, note, created_at)
        SELECT g, 1 + g % {u}, '', now() FROM generate_series(4, {p}, 4) g WHERE g % 400 = 0""",
    )
    # Requests, oldest first, evenly over 2016 to now; unit k sends about k^(-2/3) of them.
    # Those starting in the past are over; the newest are on the board in every state.
    step(
        "requests",
        f"""INSERT INTO requests_app_unitrequest (id, reference, status, version, contact_name, contact_email,
            contact_phone, kind, kind_other, title, purpose, age_group, other_wishes, people_count, format, location,
            starts_on, ends_on, dates_note, duration, preparation, is_research, ethics_status, attachment,
            attachment_name, status_reason, created_at, updated_at, submitted_at, status_changed_at, unit_id, languages)
        SELECT g, 'LB-' || extract(year FROM t)::int || '-' || lpad(g::text, 7, '0'),
            CASE WHEN starts_on < current_date THEN
                    CASE g % 20 WHEN 0 THEN 'declined' WHEN 1 THEN 'withdrawn' ELSE 'completed' END
                 WHEN age < 3 THEN 'submitted' WHEN age < 6 THEN (ARRAY['in_triage','needs_info'])[1 + g % 2]
                 WHEN age < 12 THEN (ARRAY['ready','matching'])[1 + g % 2]
                 WHEN g % 20 = 0 THEN 'withdrawn' ELSE 'matched' END,
            1, 'Kontakt ' || g, 'kontakt' || g || '@bench.invalid', '',
            (ARRAY['improvement','research','education','workshop','focus_group','management','information',
                   'digital_tool','jury','other'])[1 + g % 10],
            '', 'Förfrågan ' || g || ': patientens röst i utbildningen', 'Att berätta om egna erfarenheter.',
            (ARRAY['any','adults','elderly','young_adults','children'])[1 + g % 5], '',
            CASE WHEN g % 4 = 0 THEN 3 ELSE 2 END,
            (ARRAY['on_site','on_site','digital','both'])[1 + g % 4], ({places})[1 + g % 10],
            starts_on, starts_on, '', 'half_day', '', g % 10 = 1,
            CASE WHEN g % 10 = 1 THEN 'approved' ELSE '' END, '', '', '',
            t, t, t, t + interval '1 day',
            1 + floor({u} * power({unit_hash("g", 11)}, 3))::int,
            CASE WHEN g % 15 = 0 THEN 'arabiska' ELSE '' END
        FROM (SELECT g, t, (t + interval '30 days')::date + (g % 30) AS starts_on,
                extract(epoch FROM now() - t) / 86400 AS age
              FROM (SELECT g, timestamptz '{START}' + {span} * ((g - 1)::float8 / {r}) AS t
                    FROM generate_series(1, {r}) g) s0) s""",
    )
    step(
        "areas the requests want (1-2)",
        f"""INSERT INTO requests_app_unitrequest_areas (unitrequest_id, experiencearea_id)
        SELECT r.id, x.id FROM generate_series(1, {r}) r(id)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM registry_experiencearea) x
          ON x.k IN (r.id % 19, CASE WHEN r.id % 2 = 0 THEN (r.id * 7 + 3) % 19 END)""",
    )
    step(
        "perspectives the requests want",
        f"""INSERT INTO requests_app_unitrequest_perspectives (unitrequest_id, perspective_id)
        SELECT r.id, x.id FROM generate_series(1, {r}) r(id)
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM registry_perspective) x ON x.k = r.id % 3""",
    )
    step(
        "request counters",
        """INSERT INTO requests_app_requestcounter (year, last)
        SELECT extract(year FROM submitted_at)::int, count(*) FROM requests_app_unitrequest GROUP BY 1
        ON CONFLICT (year) DO UPDATE SET last = EXCLUDED.last""",
    )
    # The people of request r: the n-th is the active person of rank (base(r) + (n - 1) * 7919) mod A,
    # where base is skewed towards the low ranks (the busy people); distinct for each request.
    base = f"floor({a} * power({unit_hash('q.id', 3)}, 1.7))::bigint"
    person = f"4 * ((({base}) + (n - 1) * 7919) % {a} + 1)"
    step(
        "slots: the assignments each request has",
        """CREATE TEMP TABLE bench_slots ON COMMIT DROP AS
        SELECT id, people_count AS cnt, sum(people_count) OVER (ORDER BY id) - people_count AS first
        FROM requests_app_unitrequest WHERE status IN ('completed', 'matched')""",
    )
    total = fetch("SELECT coalesce(sum(cnt), 0) FROM bench_slots")[0][0]
    chosen = min(total, size.inquiries * 4 // 5)  # the newest assignments came from inquiries
    offset = total - chosen
    step(
        "inquiries: the chosen (the newest assignments)",
        f"""INSERT INTO matching_inquiry (id, status, deadline, message, comment, share_email, share_phone,
            answered_at, answered_via, nonce, by_hand, hand_reason, score, reasons, sent_at, closed_at, request_id, resource_id)
        SELECT s.first + n - {offset}, 'chosen', q.submitted_at + interval '9 days', '', '', true, false,
            q.submitted_at + interval '4 days', 'link', '', false, '', 60 + q.id % 35, '[]',
            q.submitted_at + interval '2 days', q.submitted_at + interval '8 days', q.id, {person}
        FROM bench_slots s JOIN requests_app_unitrequest q ON q.id = s.id CROSS JOIN LATERAL generate_series(1, s.cnt) k(n)
        WHERE s.first + n > {offset}""",
    )
    # The other inquiries: to people not chosen, for the newest requests past the triage.
    others = size.inquiries - chosen
    step(
        "inquiries: the others (not chosen, open, expired)",
        f"""INSERT INTO matching_inquiry (id, status, deadline, message, comment, share_email, share_phone,
            answered_at, answered_via, nonce, by_hand, hand_reason, score, reasons, sent_at, closed_at, request_id, resource_id)
        SELECT {chosen} + row_number() OVER (), st, sent + interval '7 days', '', '', false, false,
            CASE WHEN st IN ('yes', 'no', 'not_needed') THEN sent + interval '2 days' END,
            CASE WHEN st IN ('yes', 'no', 'not_needed') THEN 'link' ELSE '' END, '', false, '', 50 + id % 40, '[]',
            sent, CASE WHEN st IN ('expired', 'not_needed') THEN sent + interval '7 days' END, id, resource_id
        FROM (SELECT q.id, {person} AS resource_id, q.submitted_at + interval '2 days' AS sent,
                CASE WHEN q.status IN ('ready', 'matching') THEN (ARRAY['sent','yes','no','sent'])[1 + (q.id + n) % 4]
                     ELSE (ARRAY['no','not_needed','expired','no'])[1 + (q.id + n) % 4] END AS st
              FROM (SELECT * FROM requests_app_unitrequest
                    WHERE status IN ('completed', 'matched', 'ready', 'matching') ORDER BY id DESC) q
              CROSS JOIN LATERAL generate_series(q.people_count + 1, q.people_count + 4) k(n)
              LIMIT {others}) x""",
    )
    # Assignments: the newest from the chosen inquiries; done after the day, or signed/signing/drafting ahead.
    step(
        "assignments",
        f"""INSERT INTO assignments_assignment (id, reference, status, version, title, description, purpose, role,
            preparation, preparation_hours, confidentiality, share_email, share_phone, contact_name, contact_email,
            contact_phone, cancelled_by, cancel_reason, created_at, status_changed_at, done_at, cancelled_at,
            request_id, resource_id, inquiry_id)
        SELECT s.first + n, q.reference || '-' || n,
            CASE WHEN q.status = 'completed' AND q.id % 50 = 7 THEN 'cancelled' WHEN q.status = 'completed' THEN 'done'
                 ELSE (ARRAY['signed','signing','drafting'])[n] END,
            1, q.title, 'Berätta om dina erfarenheter.', '', '', '', 1.0, false, true, false, q.contact_name,
            q.contact_email, '',
            CASE WHEN q.status = 'completed' AND q.id % 50 = 7 THEN 'unit' ELSE '' END,
            CASE WHEN q.status = 'completed' AND q.id % 50 = 7 THEN 'Tillfället blev inte av.' ELSE '' END,
            q.submitted_at + interval '10 days', q.submitted_at + interval '12 days',
            CASE WHEN q.status = 'completed' AND q.id % 50 <> 7 THEN q.starts_on + interval '1 day 10 hours' END,
            CASE WHEN q.status = 'completed' AND q.id % 50 = 7 THEN q.starts_on - interval '3 days' END,
            q.id, {person}, CASE WHEN s.first + n > {offset} THEN s.first + n - {offset} END
        FROM bench_slots s JOIN requests_app_unitrequest q ON q.id = s.id CROSS JOIN LATERAL generate_series(1, s.cnt) k(n)""",
    )
    step(
        "sessions (one each)",
        """INSERT INTO assignments_session (id, date, starts_at, ends_at, mode, address, link, outcome, actual_hours,
            assignment_id)
        SELECT a.id, q.starts_on, '13:00', '16:00', CASE WHEN q.format = 'digital' THEN 'digital' ELSE 'on_site' END,
            CASE WHEN q.format = 'digital' THEN '' ELSE 'Storgatan 1, ' || q.location END,
            CASE WHEN q.format = 'digital' THEN 'https://meet.example.se/' || a.id ELSE '' END,
            CASE WHEN a.status = 'cancelled' THEN 'cancelled_in_time' WHEN a.status <> 'done' THEN ''
                 WHEN a.id % 10 = 1 THEN 'other_length' WHEN a.id % 31 = 2 THEN 'no_show' ELSE 'held' END,
            CASE WHEN a.status = 'done' AND a.id % 10 = 1 THEN 2.5 END, a.id
        FROM assignments_assignment a JOIN requests_app_unitrequest q ON q.id = a.request_id""",
    )
    step(
        "agreements (sent; signed unless drafting or signing)",
        """INSERT INTO assignments_agreement (id, version, content, content_hash, created_at, sent_at, signed_at,
            template_id, assignment_id)
        SELECT a.id, 1, '{}'::jsonb, md5(a.reference) || md5(a.reference), a.created_at,
            CASE WHEN a.status <> 'drafting' THEN a.created_at + interval '1 day' END,
            CASE WHEN a.status IN ('signed', 'done', 'cancelled') THEN a.created_at + interval '2 days' END,
            (SELECT min(id) FROM assignments_agreementtemplate), a.id
        FROM assignments_assignment a""",
    )
    step(
        "completion reports (the done, confirmed)",
        """INSERT INTO assignments_completionreport (id, status, reported_at, unit_comment, person_comment, answered_at,
            resolution, assignment_id)
        SELECT a.id, CASE WHEN a.id % 97 = 0 THEN 'resolved' ELSE 'confirmed' END, a.done_at, '', '',
            a.done_at + interval '2 days', CASE WHEN a.id % 97 = 0 THEN 'Genomfört enligt verksamheten.' ELSE '' END, a.id
        FROM assignments_assignment a WHERE a.status = 'done'""",
    )
    # Payout batches: one a month up to two months ago; the lines of the last two months are open.
    step(
        "payout batches (monthly)",
        f"""INSERT INTO compensation_payoutbatch (id, reference, period_start, period_end, status, line_count,
            total_ore, created_at, exported_at, paid_at)
        SELECT row_number() OVER (ORDER BY m), 'UB-' || to_char(m, 'YYYY-MM'), m::date,
            (m + interval '1 month - 1 day')::date, 'paid', 0, 0, m + interval '1 month 5 days',
            m + interval '1 month 5 days', m + interval '1 month 10 days'
        FROM generate_series(date_trunc('month', timestamptz '{START}'), date_trunc('month', now()) - interval '2 months',
                             interval '1 month') m""",
    )
    step(
        "fee lines: the fee of each paid session",
        f"""INSERT INTO compensation_feeline (id, cost_centre, kind, on_date, quantity, amount_ore, explanation, status,
            approved_at, reason, created_at, assignment_id, resource_id, session_id, unit_id, batch_id)
        SELECT row_number() OVER (), c.cost_centre, 'fee', x.date, 1,
            CASE WHEN x.outcome = 'other_length' THEN 62500 ELSE 125000 END,
            'Arvode, halvdag', CASE WHEN x.batch IS NULL AND x.id % 3 = 0 THEN 'computed' ELSE 'approved' END,
            CASE WHEN x.batch IS NOT NULL OR x.id % 3 <> 0 THEN x.date + interval '5 days' END, '',
            x.date + interval '2 days', x.id, x.resource_id, x.id, x.unit_id, x.batch
        FROM (SELECT s.id, s.date, s.outcome, a.resource_id, q.unit_id, b.id AS batch
              FROM assignments_session s JOIN assignments_assignment a ON a.id = s.assignment_id
              JOIN requests_app_unitrequest q ON q.id = a.request_id
              LEFT JOIN compensation_payoutbatch b ON b.period_start = date_trunc('month', s.date)::date
              WHERE s.outcome IN ('held', 'other_length') LIMIT {size.fee_lines}) x
        JOIN requests_app_careunit c ON c.id = x.unit_id""",
    )
    step(
        "fee lines: mileage for the rest",
        f"""INSERT INTO compensation_feeline (id, cost_centre, kind, on_date, quantity, amount_ore, explanation, status,
            approved_at, reason, created_at, assignment_id, resource_id, session_id, unit_id, batch_id)
        SELECT (SELECT max(id) FROM compensation_feeline) + row_number() OVER (), cost_centre, 'mileage_tax_free',
            on_date, 42, 10500, '42 km', status, approved_at, '', created_at, assignment_id, resource_id, session_id,
            unit_id, batch_id
        FROM (SELECT * FROM compensation_feeline ORDER BY id DESC
              LIMIT greatest(0, {size.fee_lines} - (SELECT count(*) FROM compensation_feeline))) f""",
    )
    step(
        "payout batches: their counts and sums",
        """UPDATE compensation_payoutbatch b SET line_count = f.n, total_ore = f.total
        FROM (SELECT batch_id, count(*) AS n, sum(amount_ore) AS total FROM compensation_feeline
              WHERE batch_id IS NOT NULL GROUP BY batch_id) f WHERE f.batch_id = b.id""",
    )
    step(
        "payout batches: their kept sums per cost centre",
        """INSERT INTO compensation_batchcostcentre (batch_id, cost_centre, unit_id, line_count, total_ore)
        SELECT batch_id, cost_centre, unit_id, count(*), sum(amount_ore) FROM compensation_feeline
        WHERE batch_id IS NOT NULL GROUP BY batch_id, cost_centre, unit_id""",
    )
    step(
        "evaluations (both sides of some done assignments)",
        f"""INSERT INTO evaluations_evaluation (id, respondent, recipient_name, recipient_email, nonce, sent_at,
            closes_at, submitted_at, quote_allowed, assignment_id, question_set_id)
        SELECT row_number() OVER (), qs.respondent, '', '', '', a.done_at, a.done_at + interval '30 days',
            CASE WHEN a.id % 5 <> 0 THEN a.done_at + interval '3 days' END, a.id % 3 = 0, a.id, qs.id
        FROM (SELECT id, done_at FROM assignments_assignment WHERE status = 'done' AND id % 3 = 0
              ORDER BY id DESC LIMIT {(size.evaluations + 1) // 2}) a
        CROSS JOIN evaluations_questionset qs""",
    )
    step(
        "people: the day of their latest assignment",
        """UPDATE registry_experienceresource r SET last_assignment_on = x.day
        FROM (SELECT a.resource_id, max(s.date) AS day FROM assignments_assignment a
              JOIN assignments_session s ON s.assignment_id = a.id WHERE a.status = 'done' GROUP BY 1) x
        WHERE r.id = x.resource_id""",
    )


# --- the measurement ------------------------------------------------------------------------

# What each page must do: a p95 in ms, and whether it is a list page (held to a quarter of the
# floor's throughput as well).
PAGE_P95_MS = 100.0
SHORTLIST_CALL_P95_MS = 50.0
LIST_SHARE_OF_FLOOR = 0.25


def signed_in(email: str, name: str, roles: list) -> object:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from accounts.models import User
    from accounts.services import create_user, user_has_mfa

    user = User.objects.filter(email=email).first() or create_user(email, full_name=name, roles=roles)
    if not user_has_mfa(user):
        TOTP.activate(user, TOTP_SECRET)
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


def pages() -> list[tuple[str, str, str, bool]]:
    """(name, who, url, is a list page) for every page timed; the first is the floor."""
    from compensation.models import PayoutBatch
    from registry.models import ExperienceResource
    from requests_app.models import UnitRequest

    request = UnitRequest.objects.filter(status="ready").order_by("-pk").first()
    matching = UnitRequest.objects.filter(status="matching").order_by("-pk").first()
    busiest = ExperienceResource.objects.filter(status="active").order_by("-last_assignment_on", "pk").first()
    busiest = (
        ExperienceResource.objects.raw(
            "SELECT resource_id AS id FROM assignments_assignment GROUP BY resource_id ORDER BY count(*) DESC LIMIT 1"
        )[0]
        or busiest
    )
    batch = PayoutBatch.objects.order_by("-line_count", "pk").first()
    pool_pages = ExperienceResource.objects.count() // 50
    deep = pool_pages // 2
    area, perspective = request.areas.order_by("pk").first(), request.perspectives.order_by("pk").first()
    return [
        ("floor: a static page (accessibility)", "coordinator", "/om/tillganglighet/", False),
        ("health check (for information)", "coordinator", "/health/", False),
        ("pool, first page", "coordinator", "/samordning/resurser/", True),
        ("pool, area and perspective", "coordinator", f"/samordning/resurser/?area={area.pk}&perspective={perspective.pk}", True),
        ("pool, name search", "coordinator", "/samordning/resurser/?q=anna", True),
        (f"pool, page {deep:,} of {pool_pages:,}", "coordinator", f"/samordning/resurser/?page={deep}", True),
        ("a person (the busiest)", "coordinator", f"/samordning/resurser/{busiest.pk}/", False),
        ("triage board", "coordinator", "/samordning/forfragningar/", True),
        ("a request", "coordinator", f"/samordning/forfragningar/{request.pk}/", False),
        ("shortlist page", "coordinator", f"/samordning/forfragningar/{request.pk}/matchning/", False),
        ("answers", "coordinator", f"/samordning/forfragningar/{matching.pk}/svar/", True),
        ("assignments list", "coordinator", "/samordning/uppdrag/", True),
        ("assignments list, done", "coordinator", "/samordning/uppdrag/?status=done", True),
        ("statistics, a year (insights)", "coordinator", "/samordning/statistik/?year=2025", False),
        ("finance: open lines", "finance", "/ekonomi/att-betala/", True),
        ("finance: batches", "finance", "/ekonomi/utbetalningar/", True),
        (f"finance: a batch ({batch.line_count:,} lines)", "finance", f"/ekonomi/utbetalningar/{batch.pk}/", True),
    ]


def timed(call, runs: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(1000 * (time.perf_counter() - started))
    return times


def profile_call(call, runs: int = 5) -> None:
    """Print the functions that cost most (cumulative) over a few calls: where Python time goes."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print("\n".join("      " + line for line in out.getvalue().splitlines() if line.strip()))


def run(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.enums import Role
    from matching.selectors import shortlist
    from registry.models import ExperienceResource
    from requests_app.models import UnitRequest

    if not ExperienceResource.objects.filter(email=MARKER).exists():
        sys.exit("No data: run `bench/national.py build` first.")
    from matching.models import FairnessCount

    if not FairnessCount.objects.exists():  # built before the facts were kept
        refresh_fairness()
    settings.ALLOWED_HOSTS = ["testserver"]
    clients = {
        "coordinator": signed_in(COORDINATOR_EMAIL, "Bench Samordnare", [Role.COORDINATOR]),
        "finance": signed_in(FINANCE_EMAIL, "Bench Ekonom", [Role.FINANCE]),
    }
    counts = fetch(
        """SELECT (SELECT count(*) FROM registry_experienceresource), (SELECT count(*) FROM registry_experienceresource
        WHERE status = 'active'), (SELECT count(*) FROM requests_app_unitrequest), (SELECT count(*) FROM matching_inquiry),
        (SELECT count(*) FROM assignments_assignment), (SELECT count(*) FROM compensation_feeline),
        (SELECT count(*) FROM evaluations_evaluation)"""
    )[0]
    print(
        "Data: {:,} people ({:,} active), {:,} requests, {:,} inquiries, {:,} assignments, {:,} fee lines, "
        "{:,} evaluations".format(*counts)
    )
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"reference {common.reference_ms(connection):.0f} ms; {args.runs} runs per page after one warm-up"
    )
    # As config/wsgi.py does in each gunicorn worker once the app is loaded.
    gc.freeze()
    print(f"{'page':<44} {'p50':>8} {'p95':>8} {'queries':>8} {'SQL':>8} {'req/s':>7}  target")
    ok, floor_rate = True, None
    for name, who, url, is_list in pages():
        if args.only and floor_rate is not None and args.only.lower() not in name.lower():
            continue
        client = clients[who]
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        times = timed(lambda client=client, url=url: client.get(url), args.runs)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p50, p95 = statistics.median(times), common.percentile(times, 0.95)
        rate = 1000 / statistics.mean(times)
        if floor_rate is None:
            floor_rate = rate
        checks = []
        if not name.startswith(("floor", "health")):
            checks.append((f"p95 <= {PAGE_P95_MS:.0f} ms", p95 <= PAGE_P95_MS))
        if is_list:
            checks.append((f">= {LIST_SHARE_OF_FLOOR:.0%} of the floor's rate", rate >= LIST_SHARE_OF_FLOOR * floor_rate))
        verdict = ", ".join(f"{text} {'ok' if good else 'MISSED'}" for text, good in checks)
        ok = ok and all(good for _, good in checks)
        sql = 1000 * sum(float(q["time"]) for q in queries.captured_queries)
        print(f"{name:<44} {p50:6.0f} ms {p95:6.0f} ms {len(queries):8d} {sql:5.0f} ms {rate:7.1f}  {verdict}", flush=True)
        if args.profile and not name.startswith(("floor", "health")):
            profile_call(lambda client=client, url=url: client.get(url))
        if args.queries:
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"      {1000 * float(q['time']):7.1f} ms  {q['sql'][:300]}")

    if args.only and args.only.lower() not in "shortlist() call":
        print(f"\n{'PASS: every page timed met its target' if ok else 'FAIL: a target was missed'}")
        return 0 if ok else 1
    request = UnitRequest.objects.filter(status="ready").order_by("-pk").first()
    active = ExperienceResource.objects.filter(status="active").count()
    with CaptureQueriesContext(connection) as queries:
        _, eligible = shortlist(request, limit=25)
    times = timed(lambda: shortlist(request, limit=25), args.runs)
    p50, p95 = statistics.median(times), common.percentile(times, 0.95)
    good = p95 <= SHORTLIST_CALL_P95_MS
    ok = ok and good
    label = f"shortlist() call ({active:,} active, {eligible:,} pass)"
    sql = 1000 * sum(float(q["time"]) for q in queries.captured_queries)
    print(
        f"{label:<44} {p50:6.0f} ms {p95:6.0f} ms {len(queries):8d} {sql:5.0f} ms {1000 / statistics.mean(times):7.1f}  "
        f"p95 <= {SHORTLIST_CALL_P95_MS:.0f} ms {'ok' if good else 'MISSED'}"
    )
    print(f"\n{'PASS: every target met' if ok else 'FAIL: a target was missed'}")
    return 0 if ok else 1


def main() -> int:
    args = parse_args()
    config = common.database_config()
    common.ensure_database(config, drop=args.rebuild and args.command == "build")
    common.setup_django()
    if args.command == "build":
        build(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
