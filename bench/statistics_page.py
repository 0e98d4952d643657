"""Benchmark: the statistics page at national scale on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench_stats .venv/bin/python bench/statistics_page.py

Builds (once) 200,000 people, 1,000,000 requests and 2,000,000 assignments with their sessions,
inquiries and fee lines, plus evaluations for a tenth of the done assignments, all generated
inside the server with INSERT ... SELECT over generate_series (faster than COPY: nothing crosses
the wire). Then counts the summary figures once (insights.figures.refresh, what beat runs), draws
the pages the beat task draws into the cache, and times the statistics page through Django's
test client with the real middleware: drawn afresh (its cache entry deleted) and from the cache,
printing the median, p95 and SQL query count per variant. Exits 1 if the p95 for a year over the
region is 100 ms or more. Set CACHE_URL (e.g. redis://127.0.0.1:6379/15) to use Redis as in
production; without it the cache is in the process's memory.
"""

# ruff: noqa: S608 - the SQL is built from numbers given on the command line, never from user text
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shortlist as common  # database checks, reference query, percentile

COORDINATOR_EMAIL = "bench-coordinator@bench.invalid"
UNITS, ORGANISATIONS, MUNICIPALITIES = 2_000, 50, 290


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--assignments", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=40, help="timed requests per variant from the cache (default 40)")
    parser.add_argument("--cold-runs", type=int, default=5, help="timed requests per variant with the cache emptied (default 5)")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the data again")
    parser.add_argument("--skip-refresh", action="store_true", help="reuse the stored figures")
    return parser.parse_args()


def step(label: str, sql: str, params=None) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.rowcount
    print(f"  {label:<44} {rows:>10,} rows {time.perf_counter() - started:7.1f} s", flush=True)


def build(args: argparse.Namespace) -> None:
    from registry.models import ExperienceResource

    if ExperienceResource.objects.exists():
        print("Data already built (use --rebuild to build again).")
        return
    people, requests, assignments = args.people, args.requests, args.assignments
    matched = requests * 4 // 5  # requests whose id is not a multiple of 5
    print("Building the data:")
    step(
        "care units",
        f"""INSERT INTO requests_app_careunit (name, organisation, cost_centre, postal_address, is_active)
        SELECT 'Enhet ' || g, 'Organisation ' || (g % {ORGANISATIONS}), (40000 + g)::text, '', true
        FROM generate_series(1, {UNITS}) g""",
    )
    step(
        "people",
        f"""INSERT INTO registry_experienceresource (status, first_name, last_name, email, phone, municipality,
            birth_year, languages, story, support_needs, coordinator_notes, consent_version, created_at, updated_at,
            intake_place, preferred_contact, status_reason, can_digital, can_on_site, suitable_times,
            training_completed_on, left_at)
        SELECT (ARRAY['active','active','active','active','active','active','active','paused','left','applied'])[1 + g % 10],
            'Person', 'Nummer ' || g, 'p' || g || '@bench.invalid', '', 'Kommun ' || (g * 7 % {MUNICIPALITIES}),
            1935 + g % 73, '', '', '', '', '1', t, t, '', 'email', '', true, true, '',
            CASE WHEN g % 2 = 0 THEN (t + interval '40 days')::date END,
            CASE WHEN g % 10 = 8 THEN t + interval '700 days' END
        FROM (SELECT g, timestamptz '2016-01-01' + (g * interval '1 minute' * 28) AS t
              FROM generate_series(1, {people}) g) s""",
    )
    step(
        "their experience areas",
        """INSERT INTO registry_experienceresource_areas (experienceresource_id, experiencearea_id)
        SELECT r.id, a.id FROM registry_experienceresource r
        JOIN registry_experiencearea a ON a.position IN (r.id % 19, (r.id * 3 + 1) % 19)""",
    )
    step(
        "their perspectives",
        """INSERT INTO registry_experienceresource_perspectives (experienceresource_id, perspective_id)
        SELECT r.id, p.id FROM registry_experienceresource r JOIN registry_perspective p ON p.id = 1 + r.id % 3""",
    )
    step(
        "requests",
        f"""INSERT INTO requests_app_unitrequest (reference, status, version, contact_name, contact_email, contact_phone,
            kind, kind_other, title, purpose, age_group, other_wishes, format, location, dates_note, duration,
            preparation, is_research, ethics_status, attachment, attachment_name, status_reason, created_at,
            updated_at, submitted_at, status_changed_at, unit_id, languages)
        SELECT 'B-' || g,
            CASE WHEN g % 5 = 0 THEN (ARRAY['declined','withdrawn','in_triage','ready','submitted'])[1 + g / 5 % 5]
                 WHEN g % 3 = 0 THEN 'matched' ELSE 'completed' END,
            1, 'Kontakt', 'kontakt@bench.invalid', '',
            (ARRAY['improvement','research','education','workshop','focus_group','management','information',
                   'digital_tool','jury','other'])[1 + g % 10],
            '', 'Förfrågan ' || g, '', 'any', '', 'on_site', '', '', 'half_day', '', false, '', '', '', '',
            t, t, t, t, 1 + (g::bigint * 7919) % {UNITS}, ''
        FROM (SELECT g, timestamptz '2016-01-01' + g * (interval '1 day' * 3900 / {requests}) AS t
              FROM generate_series(1, {requests}) g) s""",
    )
    step(
        "areas the requests want",
        """INSERT INTO requests_app_unitrequest_areas (unitrequest_id, experiencearea_id)
        SELECT r.id, a.id FROM requests_app_unitrequest r JOIN registry_experiencearea a ON a.position = r.id % 19""",
    )
    # Assignment a belongs to the (a-1) mod M-th matched request: ids skipping multiples of 5.
    pick = f"""(SELECT a, ((a - 1) % {matched}) AS i, (a - 1) / {matched} AS k FROM generate_series(1, {assignments}) a) s
        JOIN requests_app_unitrequest r ON r.id = s.i + s.i / 4 + 1"""
    step(
        "inquiries (the chosen)",
        f"""INSERT INTO matching_inquiry (status, deadline, message, comment, share_email, share_phone, answered_via,
            nonce, by_hand, hand_reason, reasons, sent_at, closed_at, answered_at, request_id, resource_id)
        SELECT 'chosen', r.submitted_at + interval '7 days', '', '', false, false, 'link', '', false, '', '[]',
            r.submitted_at + interval '1 day', r.submitted_at + (1 + s.a % 40) * interval '1 day',
            r.submitted_at + interval '2 days', r.id, 1 + ((r.id * 7 + s.k * 66667) % {people})
        FROM {pick}""",
    )
    step(
        "assignments",
        f"""INSERT INTO assignments_assignment (reference, status, version, title, description, purpose, role,
            preparation, preparation_hours, confidentiality, share_email, share_phone, contact_name, contact_email,
            contact_phone, cancelled_by, cancel_reason, created_at, done_at, request_id, resource_id, inquiry_id)
        SELECT 'B-' || r.id || '-' || (s.k + 1), CASE WHEN s.a % 10 = 0 THEN 'signed' ELSE 'done' END, 1,
            'Uppdrag', '', '', '', '', 0, false, false, false, 'Kontakt', 'kontakt@bench.invalid', '', '', '',
            r.submitted_at + interval '10 days',
            CASE WHEN s.a % 10 <> 0 THEN r.submitted_at + (20 + s.a % 60) * interval '1 day' END,
            r.id, i.resource_id, i.id
        FROM {pick} JOIN matching_inquiry i
            ON i.request_id = r.id AND i.resource_id = 1 + ((r.id * 7 + s.k * 66667) % {people})""",
    )
    step(
        "sessions",
        """INSERT INTO assignments_session (date, starts_at, ends_at, mode, address, link, outcome, actual_hours, assignment_id)
        SELECT (a.created_at + interval '5 days')::date, '13:00', '16:00', 'on_site', '', '',
            CASE WHEN a.status <> 'done' THEN '' WHEN a.id % 10 = 1 THEN 'other_length' WHEN a.id % 10 = 2 THEN 'no_show'
                 ELSE 'held' END,
            CASE WHEN a.status = 'done' AND a.id % 10 = 1 THEN 2.5 END, a.id
        FROM assignments_assignment a""",
    )
    step(
        "fee lines (one per held session, mileage for a fifth)",
        """INSERT INTO compensation_feeline (cost_centre, kind, on_date, quantity, amount_ore, explanation, status,
            reason, created_at, assignment_id, resource_id, session_id, unit_id)
        SELECT u.cost_centre, k.kind, s.date, 1, CASE WHEN k.kind = 'fee' THEN 180000 ELSE 12500 END,
            'Arvode enligt ersättningsmodell', CASE WHEN a.id % 3 = 0 THEN 'computed' ELSE 'approved' END,
            '', a.done_at, a.id, a.resource_id, s.id, u.id
        FROM assignments_session s JOIN assignments_assignment a ON a.id = s.assignment_id
        JOIN requests_app_unitrequest r ON r.id = a.request_id JOIN requests_app_careunit u ON u.id = r.unit_id
        CROSS JOIN (VALUES ('fee'), ('mileage_tax_free')) k(kind)
        WHERE a.status = 'done' AND s.outcome IN ('held', 'other_length') AND (k.kind = 'fee' OR a.id % 5 = 0)""",
    )
    step(
        "evaluations (a tenth of the done assignments, both sides)",
        """INSERT INTO evaluations_evaluation (respondent, recipient_name, recipient_email, nonce, sent_at, closes_at,
            submitted_at, quote_allowed, assignment_id, question_set_id)
        SELECT q.respondent, '', '', '', a.done_at, a.done_at + interval '30 days', a.done_at + interval '3 days',
            a.id % 3 = 0, a.id, q.id
        FROM assignments_assignment a CROSS JOIN evaluations_questionset q
        WHERE a.status = 'done' AND a.id % 10 = 3""",
    )
    step(
        "answers",
        """INSERT INTO evaluations_answer (evaluation_id, question_id, rating, choice, text)
        SELECT e.id, q.id,
            CASE WHEN q.kind = 'rating' THEN 1 + (e.id + q.id) % 5 END,
            CASE WHEN q.kind = 'yes_no' THEN (e.id + q.id) % 4 <> 0 END,
            CASE WHEN q.kind = 'text' THEN 'Det var värdefullt att höra patientens perspektiv.' ELSE '' END
        FROM evaluations_evaluation e JOIN evaluations_question q ON q.question_set_id = e.question_set_id""",
    )
    step(
        "introduction trainings",
        """INSERT INTO registry_event (kind, title, starts_at, ends_at, place, link, description, created_at)
        SELECT 'training', 'Introduktion', t, t + interval '3 hours', '', '', '', t
        FROM generate_series(timestamptz '2016-02-01', now(), interval '5 weeks') t""",
    )
    step("ANALYZE", "ANALYZE")


def refresh() -> None:
    from django.db import connection

    from insights import figures

    started = time.perf_counter()
    state = figures.refresh()
    print(f"Summary figures counted in {time.perf_counter() - started:.1f} s: {state.rows:,} rows.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE insights_figure")


def warm() -> None:
    """What refresh_figures does after counting: draw the region's pages for this year and last."""
    from insights import pages
    from insights.selectors import last_refresh

    started = time.perf_counter()
    drawn = pages.warm(last_refresh())
    print(f"{drawn} pages drawn into the cache after the refresh in {time.perf_counter() - started:.1f} s.")


def variants() -> list[tuple[str, str]]:
    from requests_app.models import CareUnit

    unit = CareUnit.objects.order_by("pk").first()
    base = "/samordning/statistik/"
    return [
        ("a year, the region", "/samordning/statistik/?year=2025"),
        ("a year, one organisation", "/samordning/statistik/?year=2025&organisation=Organisation+7"),
        ("a year, one unit (counted live)", f"{base}?year=2025&organisation={quote_plus(unit.organisation)}&unit={unit.pk}"),
        ("months 2025-03..2025-08, region", "/samordning/statistik/?from_month=2025-03&to_month=2025-08"),
        ("finance, a year", "/ekonomi/statistik/?year=2025"),
    ]


def page_key(url: str) -> str:
    """The cache key of the page behind this URL (deleted one by one: never `cache.clear()`, which
    would empty a Redis database other programs may share)."""
    from django.conf import settings
    from django.test import RequestFactory
    from django.utils import translation

    from insights import cache as page_cache
    from insights import selectors, views

    _form, period, scope = views._period_and_scope(RequestFactory().get(url))
    page = "finance_statistics" if url.startswith("/ekonomi/") else "statistics"
    with translation.override(settings.LANGUAGE_CODE):
        return page_cache.key(page, period, scope, selectors.last_refresh())


def measure(args: argparse.Namespace) -> bool:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.enums import Role
    from accounts.models import User
    from accounts.services import create_user, user_has_mfa

    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.filter(email=COORDINATOR_EMAIL).first() or create_user(
        COORDINATOR_EMAIL, full_name="Bench Samordnare", roles=[Role.COORDINATOR, Role.FINANCE]
    )
    if not user_has_mfa(user):
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.1f}; reference {common.reference_ms(connection):.0f} ms")
    print(f"Cache: {settings.CACHES['default']['BACKEND']} {settings.CACHES['default'].get('LOCATION', '')}")
    print("cold: the page's cache entry deleted before each request (drawn from the figures);")
    print("warm: what every view after the first one per refresh, period and scope costs.")
    header = f"{'variant':<36} {'cold median':>12} {'cold queries':>13} {'warm median':>12} {'warm p95':>9} {'warm queries':>13}"
    print(header)
    ok = True
    for name, url in variants():
        client.get(url)  # warm-up (imports, connections)
        cold, key = [], page_key(url)
        for _ in range(args.cold_runs):
            cache.delete(key)
            started = time.perf_counter()
            client.get(url)
            cold.append(1000 * (time.perf_counter() - started))
        cache.delete(key)
        reset_queries()  # the query log holds at most 9,000: counted from empty, or a count comes out short
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        cold_queries = len(captured)  # now: the count reads the connection's log, which is reset below
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        p95 = common.percentile(times, 0.95)
        print(
            f"{name:<36} {statistics.median(cold):9.0f} ms {cold_queries:13d} "
            f"{statistics.median(times):9.0f} ms {p95:6.0f} ms {len(queries):13d}",
            flush=True,
        )
        if name == "a year, the region":
            ok = p95 < 100
    return ok


def main() -> int:
    args = parse_args()
    config = common.database_config()
    common.ensure_database(config, drop=args.rebuild)
    common.setup_django()
    build(args)
    if not args.skip_refresh:
        refresh()
    warm()
    return 0 if measure(args) else 1


if __name__ == "__main__":
    sys.exit(main())
