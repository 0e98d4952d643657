"""Benchmark: the shortlist for one request among 50,000 active people, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench .venv/bin/python bench/shortlist.py [--people 50000]

Creates the database if it is missing, migrates it, builds a realistic pool once (kept for
the next run; --rebuild drops the database and starts over), then times
`matching.selectors.shortlist(request, limit=25)` (the whole call: ranking, count, the people
on the page and their explanations) and prints the median, p95 and the number of SQL queries.
The requirement is a median under 200 ms; the script exits 1 if it is not met.

Only a database whose name contains "bench" is touched: the script fills it with made-up
people and --rebuild drops it.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0
BENCH_DOMAIN = "bench.invalid"  # every made-up person's e-mail ends with this
TARGET_TITLE = "Benchmark: patientens röst i sjuksköterskeutbildningen"

# Östergötland's municipalities, weighted roughly by population; "" = not given.
MUNICIPALITIES = {
    "Linköping": 165,
    "Norrköping": 145,
    "Motala": 44,
    "Mjölby": 28,
    "Finspång": 22,
    "Söderköping": 14,
    "Åtvidaberg": 12,
    "Kinda": 10,
    "Valdemarsvik": 8,
    "Vadstena": 7,
    "Boxholm": 6,
    "Ödeshög": 5,
    "Ydre": 4,
    "": 10,
}
LANGUAGES = {
    "svenska": 700,
    "svenska, engelska": 120,
    "svenska, arabiska": 45,
    "svenska, finska": 30,
    "svenska, persiska": 20,
    "svenska, somaliska": 18,
    "svenska, bosniska": 15,
    "svenska, tigrinja": 10,
    "svenska, engelska, arabiska": 10,
    "svenska, kurdiska": 10,
    "Svenska och Arabiska": 5,
    "": 17,
}
# Weights of the taxonomy slugs not listed here are 1.
AREA_WEIGHTS = {"psykisk-ohalsa": 6, "diabetes": 4, "cancer": 4, "hjarta-och-karl": 3, "aldre": 3, "smarta": 3}
PERSPECTIVE_WEIGHTS = {"patient": 55, "relative": 35, "service_user": 10}
FIRST = ["Anna", "Erik", "Maria", "Lars", "Fatima", "Karl", "Eva", "Ali", "Sara", "Johan", "Leila", "Per", "Ingrid", "Omar"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Hassan", "Ahmed", "Lindqvist", "Berg", "Holm", "Ek"]
UNITS = [
    ("Diabetesmottagningen", "Universitetssjukhuset"),
    ("Hjärtcentrum", "Universitetssjukhuset"),
    ("Onkologiska kliniken", "Universitetssjukhuset"),
    ("Psykiatriska öppenvårdsmottagningen", "Psykiatricentrum"),
    ("Beroendemottagningen", "Psykiatricentrum"),
    ("Vårdcentralen Ekholmen", "Primärvården"),
    ("Vårdcentralen Kneippen", "Primärvården"),
    ("Vårdcentralen Motala", "Primärvården"),
    ("Geriatriska kliniken", "Vrinnevisjukhuset"),
    ("Barn- och ungdomskliniken", "Vrinnevisjukhuset"),
    ("Smärtrehabiliteringen", "Universitetssjukhuset"),
    ("Sjuksköterskeprogrammet", "Hälsouniversitetet"),
]
# Inquiry statuses: for requests that are over, and for those still ahead.
PAST_ANSWERS = {"no": 30, "expired": 15, "chosen": 25, "not_needed": 20, "cancelled": 5, "yes": 5}
OPEN_ANSWERS = {"sent": 30, "yes": 40, "no": 20, "chosen": 10}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=50_000, help="active people in the pool (default 50,000)")
    parser.add_argument("--inquiries", type=int, default=30_000, help="inquiries in the last 18 months (default 30,000)")
    parser.add_argument("--runs", type=int, default=20, help="timed calls (default 20)")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the data again")
    parser.add_argument("--explain", action="store_true", help="also print EXPLAIN ANALYZE of the ranking and count")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


# --- the database ----------------------------------------------------------------------


def database_config() -> dict:
    import environ

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/lb_bench")
    config = environ.Env.db_url_config(url)
    if config.get("ENGINE") != "django.db.backends.postgresql":
        sys.exit(f"This benchmark runs on PostgreSQL only; DATABASE_URL points to {config.get('ENGINE')}.")
    if "bench" not in config["NAME"]:
        sys.exit(f"Refusing to fill {config['NAME']!r} with made-up people: use a database whose name contains 'bench'.")
    return config


def ensure_database(config: dict, *, drop: bool) -> None:
    """Creates the database (or drops and creates it) through the server's `postgres` database."""
    import psycopg
    from psycopg import sql

    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None, "dbname": "postgres"}
    params |= {"user": config.get("USER") or None, "password": config.get("PASSWORD") or None}
    name = config["NAME"]
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            print(f"Dropped database {name}.")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- the data --------------------------------------------------------------------------


def weighted(rng: random.Random, weights: dict, k: int = 1) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def distinct_sample(rng: random.Random, items: list, weights: list, k: int) -> list:
    """k distinct items, drawn with the given weights."""
    chosen: dict = {}
    while len(chosen) < k:
        chosen.setdefault(rng.choices(items, weights=weights)[0], None)
    return list(chosen)


@contextmanager
def own_timestamps(model, name: str):
    """Lets bulk_create keep the given value of an auto_now_add field (history lies in the past)."""
    field = model._meta.get_field(name)
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def bench_people():
    from registry.models import ExperienceResource

    return ExperienceResource.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")


def build(args: argparse.Namespace) -> None:
    """The pool, its history and the request to rank for, unless they are already there."""
    from django.db import transaction

    from requests_app.models import UnitRequest

    existing = bench_people().filter(status="active").count()
    if existing and UnitRequest.objects.filter(title=TARGET_TITLE).exists():
        if existing != args.people:
            sys.exit(f"The database holds {existing:,} active people, not {args.people:,}: run again with --rebuild.")
        print(f"Using the {existing:,} people already in the database (--rebuild builds them again).")
        return
    if existing:
        sys.exit("The database holds a half-built pool: run again with --rebuild.")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    with transaction.atomic():
        units = build_units()
        active = build_people(rng, args.people)
        build_away_periods(rng, active)
        build_conflicts(rng, active, units)
        build_history(rng, active, units, args.inquiries)
        build_target(rng, active, units[0])
    print(f"Built the data in {time.perf_counter() - started:.0f} s.")


def build_units() -> list:
    from requests_app.models import CareUnit

    return CareUnit.objects.bulk_create(
        CareUnit(name=name, organisation=org, cost_centre=str(41000 + 110 * i), postal_address="Box 100, 581 85 Linköping")
        for i, (name, org) in enumerate(UNITS)
    )


def build_people(rng: random.Random, count: int) -> list[int]:
    """`count` active people with training done, and a tenth as many who are not active; the active ones' ids."""
    from django.utils import timezone

    from registry.models import ContributionType, ExperienceArea, ExperienceResource, Perspective

    now = timezone.now()
    today = timezone.localdate(now)
    inactive_statuses = {"paused": 4, "left": 3, "applied": 2, "intake_booked": 1}
    people = []
    for i in range(count + count // 10):
        status = "active" if i < count else weighted(rng, inactive_statuses)[0]
        on_site = rng.random() < 0.85
        people.append(
            ExperienceResource(
                status=status,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                email=f"person{i}@{BENCH_DOMAIN}",
                municipality=weighted(rng, MUNICIPALITIES)[0],
                birth_year=None if rng.random() < 0.02 else round(rng.triangular(1935, 2007, 1962)),
                languages=weighted(rng, LANGUAGES)[0],
                can_on_site=on_site,
                can_digital=(not on_site) or rng.random() < 0.75,
                max_assignments_per_month=weighted(rng, {None: 75, 1: 10, 2: 10, 4: 5})[0],
                consent_version="2026-1",
                consent_at=now,
                training_completed_on=today - timedelta(days=rng.randint(10, 6 * 365)) if status == "active" else None,
            )
        )
    created = ExperienceResource.objects.bulk_create(people, batch_size=5000)
    active = [p.pk for p in created if p.status == "active"]
    inactive = [p.pk for p in created if p.status != "active"]

    areas = list(ExperienceArea.objects.values_list("pk", "slug"))
    area_ids, area_weights = [pk for pk, _ in areas], [AREA_WEIGHTS.get(slug, 1) for _, slug in areas]
    perspectives = dict(Perspective.objects.values_list("code", "pk"))
    persp_ids = [perspectives[code] for code in PERSPECTIVE_WEIGHTS]
    persp_weights = list(PERSPECTIVE_WEIGHTS.values())
    kinds = list(ContributionType.objects.values_list("pk", flat=True))
    area_links, persp_links, kind_links = [], [], []
    areas_through = ExperienceResource.areas.through
    persp_through = ExperienceResource.perspectives.through
    kinds_through = ExperienceResource.contribution_types.through
    for pk in active + inactive:
        for area in distinct_sample(rng, area_ids, area_weights, rng.randint(1, 3)):
            area_links.append(areas_through(experienceresource_id=pk, experiencearea_id=area))
        for persp in distinct_sample(rng, persp_ids, persp_weights, weighted(rng, {1: 80, 2: 20})[0]):
            persp_links.append(persp_through(experienceresource_id=pk, perspective_id=persp))
        for kind in rng.sample(kinds, rng.randint(2, 5)):
            kind_links.append(kinds_through(experienceresource_id=pk, contributiontype_id=kind))
    areas_through.objects.bulk_create(area_links, batch_size=10_000)
    persp_through.objects.bulk_create(persp_links, batch_size=10_000)
    kinds_through.objects.bulk_create(kind_links, batch_size=10_000)
    print(
        f"  {len(active):,} active and {len(inactive):,} other people; "
        f"{len(area_links):,} areas, {len(persp_links):,} perspectives, {len(kind_links):,} ways of contributing"
    )
    return active


def build_away_periods(rng: random.Random, active: list[int]) -> None:
    from django.utils import timezone

    from registry.models import AwayPeriod

    today = timezone.localdate()
    periods = []
    for pk in rng.sample(active, len(active) // 20):
        for _ in range(weighted(rng, {1: 85, 2: 15})[0]):
            start = today + timedelta(days=rng.randint(-90, 150))
            periods.append(AwayPeriod(resource_id=pk, starts_on=start, ends_on=start + timedelta(days=rng.randint(3, 45))))
    AwayPeriod.objects.bulk_create(periods, batch_size=5000)
    print(f"  {len(periods):,} away periods")


def build_conflicts(rng: random.Random, active: list[int], units: list) -> None:
    from matching.models import Conflict

    conflicts = [Conflict(resource_id=pk, unit=rng.choice(units)) for pk in rng.sample(active, len(active) // 100)]
    Conflict.objects.bulk_create(conflicts, batch_size=5000)
    print(f"  {len(conflicts):,} conflicts of interest")


def build_history(rng: random.Random, active: list[int], units: list, inquiries: int) -> None:
    """About `inquiries` inquiries over the last 18 months, from requests that are over or coming up.

    Some people are asked much more often than others (a long-tailed spread), as in life.
    """
    from django.db.models import Max, OuterRef, Subquery
    from django.utils import timezone

    from matching.models import Inquiry
    from registry.models import ExperienceResource
    from requests_app.enums import WorkKind
    from requests_app.models import RequestCounter, UnitRequest

    now = timezone.now()
    today = timezone.localdate(now)
    per_request = (6, 18)
    count = max(1, round(inquiries / (sum(per_request) / 2)))
    plans = []
    for _ in range(count):
        starts_on = today + timedelta(days=rng.randint(-540, 60))
        submitted = datetime.combine(starts_on - timedelta(days=rng.randint(21, 45)), datetime.min.time())
        plans.append((starts_on, timezone.make_aware(submitted.replace(hour=rng.randint(8, 16)))))
    plans.sort(key=lambda plan: plan[1])
    numbers: dict[int, int] = {}
    requests = []
    for i, (starts_on, submitted_at) in enumerate(plans):
        year = submitted_at.year
        numbers[year] = numbers.get(year, 0) + 1
        requests.append(
            UnitRequest(
                reference=f"LB-{year}-{numbers[year]:04d}",
                status="completed" if starts_on < today else "ready",
                unit=rng.choice(units),
                kind=rng.choice(WorkKind.values),
                title=f"Benchmarkhistorik {i + 1}",
                format=weighted(rng, {"on_site": 60, "digital": 25, "both": 15})[0],
                location="Linköping",
                starts_on=starts_on,
                ends_on=starts_on,
                people_count=rng.randint(1, 4),
                submitted_at=submitted_at,
            )
        )
    requests = UnitRequest.objects.bulk_create(requests, batch_size=2000)
    for year, last in numbers.items():
        RequestCounter.objects.update_or_create(year=year, defaults={"last": last})

    popularity = [min(rng.paretovariate(1.5), 40.0) for _ in active]
    cumulative = list(_accumulate(popularity))
    rows = []
    for request in requests:
        sent_at = min(request.submitted_at + timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6)), now)
        deadline = sent_at + timedelta(days=7)
        k = rng.randint(*per_request)
        chosen: dict = {}
        while len(chosen) < k:
            chosen.setdefault(rng.choices(active, cum_weights=cumulative)[0], None)
        answers = PAST_ANSWERS if request.starts_on < today else OPEN_ANSWERS
        for pk in chosen:
            status = weighted(rng, answers)[0]
            answered = status not in ("sent", "expired", "cancelled")
            rows.append(
                Inquiry(
                    request=request,
                    resource_id=pk,
                    status=status,
                    deadline=deadline,
                    sent_at=sent_at,
                    answered_at=min(sent_at + timedelta(hours=rng.randint(1, 150)), now) if answered else None,
                    answered_via="link" if answered else "",
                    score=rng.randint(40, 95),
                    closed_at=deadline if status in ("expired", "not_needed", "cancelled") else None,
                )
            )
    with own_timestamps(Inquiry, "sent_at"):
        Inquiry.objects.bulk_create(rows, batch_size=5000)
    # What the assignments app keeps current: the day of the person's latest assignment.
    latest = (
        Inquiry.objects.filter(resource=OuterRef("pk"), status="chosen", request__starts_on__lt=today)
        .values("resource")
        .annotate(day=Max("request__starts_on"))
        .values("day")
    )
    used = ExperienceResource.objects.filter(inquiries__status="chosen", inquiries__request__starts_on__lt=today).distinct()
    used_count = ExperienceResource.objects.filter(pk__in=used.values("pk")).update(last_assignment_on=Subquery(latest))
    asked = len({row.resource_id for row in rows})
    print(f"  {len(requests):,} earlier requests, {len(rows):,} inquiries to {asked:,} people, {used_count:,} people used")


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def build_target(rng: random.Random, active: list[int], unit) -> None:
    """The request the benchmark ranks for: education in Linköping next month, adults, Arabic."""
    from django.utils import timezone

    from matching.models import Inquiry, MatchingWeights
    from registry.models import ExperienceArea, Perspective
    from requests_app.models import RequestCounter, UnitRequest

    now = timezone.now()
    today = timezone.localdate(now)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    counter = RequestCounter.objects.get_or_create(year=today.year)[0]
    counter.last = number = counter.last + 1
    counter.save()
    request = UnitRequest.objects.create(
        reference=f"LB-{today.year}-{number:04d}",
        status="ready",
        unit=unit,
        kind="education",
        title=TARGET_TITLE,
        purpose="Berätta för sjuksköterskestudenter hur det är att leva med diabetes och hjärtsjukdom.",
        contact_name="Karin Lärare",
        contact_email="karin@bench.invalid",
        age_group="adults",
        languages="arabiska",
        people_count=2,
        format="on_site",
        location="Linköping",
        starts_on=next_month + timedelta(days=9),
        ends_on=next_month + timedelta(days=10),
        duration="half_day",
        submitted_at=now - timedelta(days=5),
        status_changed_at=now - timedelta(days=1),
    )
    request.areas.set(ExperienceArea.objects.filter(slug__in=["diabetes", "hjarta-och-karl"]))
    request.perspectives.set(Perspective.objects.filter(code="patient"))
    # A few already asked for this very request: the hard rules leave them out.
    sent_at = now - timedelta(hours=20)
    asked = [
        Inquiry(request=request, resource_id=pk, deadline=sent_at + timedelta(days=7), sent_at=sent_at)
        for pk in rng.sample(active, 5)
    ]
    with own_timestamps(Inquiry, "sent_at"):
        Inquiry.objects.bulk_create(asked)
    MatchingWeights.current()
    print(f"  the request to rank for: {request.reference}, {request.starts_on:%Y-%m-%d}")


# --- the measurement -------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def reference_ms(connection) -> float:
    """How fast this server is, to compare runs on different machines: the median time of
    `SELECT count(*) FROM generate_series(1, 1000000)` (about 40-60 ms on an idle modern server)."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM generate_series(1, 1000000)")
            cursor.fetchone()
            times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def keep_rows() -> None:
    """The shortlist ranks the kept rows (matching_shortlistrow), which the build's bulk inserts
    bypass: made from the live tables when missing, as `manage.py keep_shortlist_rows` does
    after a load."""
    from matching import keep

    if not keep.complete():
        started = time.perf_counter()
        kept = keep.rebuild()
        print(f"Kept the shortlist's rows for {kept:,} people in {time.perf_counter() - started:.0f} s.")


def measure(args: argparse.Namespace) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matching.models import MatchingWeights
    from matching.scoring import Wish, score_from
    from matching.selectors import shortlist
    from registry.models import ExperienceResource
    from requests_app.models import UnitRequest

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    keep_rows()
    request = UnitRequest.objects.get(title=TARGET_TITLE)
    active = ExperienceResource.objects.filter(status="active").count()
    print(f"\nPostgreSQL {connection.pg_version // 10000} (jit {jit}), {active:,} active people; request {request.reference}")
    print(f"Machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; reference {reference_ms(connection):.0f} ms")

    shortlist(request, limit=25)  # warm-up: caches, connection, plans
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        candidates, eligible = shortlist(request, limit=25)
        times.append(1000 * (time.perf_counter() - started))
    with CaptureQueriesContext(connection) as queries:
        candidates, eligible = shortlist(request, limit=25)

    wish, weights = Wish.of(request), MatchingWeights.current()
    disagree = [c for c in candidates if abs(score_from(c.components, wish, weights) - c.score) > 1e-6]
    median = statistics.median(times)
    print(f"shortlist(request, limit=25), {args.runs} runs after one warm-up:")
    print(f"  median {median:.1f} ms   p95 {percentile(times, 0.95):.1f} ms   min {min(times):.1f} ms   max {max(times):.1f} ms")
    print(f"  SQL queries per call: {len(queries)}")
    for query in queries.captured_queries:
        print(f"    {1000 * float(query['time']):7.1f} ms  {query['sql'][:90]}")
    print(f"  eligible people: {eligible:,}; on the page: {len(candidates)}")
    print(f"  Python score_from agrees with the SQL score: {'yes' if not disagree else f'NO ({len(disagree)} differ)'}")
    for c in candidates[:5]:
        print(f"    {c.points:3d}  #{c.resource.pk:<6} {c.explanation.text}")

    if args.explain:
        slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:2]
        for query in slowest:
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the {float(query['time']) * 1000:.0f} ms query {query['sql'][:60]}...")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print("\n".join(row[0] for row in cursor.fetchall()))

    # A ranking of nobody is no measurement: the pool must give a full page.
    ranked_enough = eligible >= 25 and len(candidates) == 25
    if not ranked_enough:
        print(f"\nFAIL: only {eligible:,} eligible and {len(candidates)} on the page; the benchmark ranks 25 of thousands")
    ok = median < TARGET_MS and not disagree and ranked_enough
    print(f"\n{'PASS' if ok else 'FAIL'}: median {median:.1f} ms, requirement < {TARGET_MS:.0f} ms")
    return ok


def main() -> int:
    args = parse_args()
    config = database_config()
    ensure_database(config, drop=args.rebuild)
    setup_django()
    build(args)
    return 0 if measure(args) else 1


if __name__ == "__main__":
    sys.exit(main())
