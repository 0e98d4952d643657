"""Benchmark: payout batches and the payroll export, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_bench_payout .venv/bin/python bench/payout_export.py

Builds (once; --rebuild starts over) 1,000 people with payee details and 1,100,000 attested fee
lines: 1,000,000 dated in January 2026 and 100,000 in February. Then, each in a fresh process
so the peak memory is the export's own:

1. creates the February batch (100,000 lines) with `compensation.services.create_batch` and
   times it (requirement: under 5 s);
2. streams the payroll CSV of the January batch (1,000,000 lines; the parent process made the
   batch beforehand) with `compensation.exports.csv_chunks`, the generator the download view streams, counting lines
   and bytes; prints lines per second and the process's peak RSS (requirement: at least
   100,000 lines/s and at most 150 MB);
3. for information, times the XLSX of the February batch.

Only a database whose name contains "bench" is touched. Exits 1 if a requirement is not met.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from shortlist import database_config, ensure_database  # noqa: E402 - bench/ is not a package

PEOPLE = 1_000
JANUARY = 1_000_000
FEBRUARY = 100_000


def setup_django(migrate: bool = False) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def build() -> None:
    """All or nothing: a build cut short (Ctrl-C) leaves no half-built data for the next run."""
    from django.db import connection, transaction

    with transaction.atomic():
        _build(connection)


def _build(connection) -> None:
    from assignments.models import Assignment
    from compensation.models import FeeLine, Payee
    from registry.models import ExperienceResource
    from requests_app.models import CareUnit, UnitRequest

    if FeeLine.objects.exists():
        return
    started = time.perf_counter()
    units = [CareUnit.objects.create(name=f"Bänkenhet {i}", organisation="Bänk", cost_centre=f"{41000 + i}") for i in range(12)]
    requests = [UnitRequest.objects.create(unit=u, title="Benchmark") for u in units]
    people = ExperienceResource.objects.bulk_create(
        ExperienceResource(first_name=f"Person{i}", last_name="Bänk", status="active") for i in range(PEOPLE)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(request=requests[i % len(requests)], resource=p, reference=f"LB-BENCH-{i:05d}", status="done", title="x")
        for i, p in enumerate(people)
    )
    for i, p in enumerate(people):
        Payee.objects.create(
            resource=p,
            legal_name=f"Person{i} Bänk",
            personnummer="191212121212",
            street="Gatan 1",
            postal_code="58225",
            city="Linköping",
            paid_via="bank",
            clearing_number="8327",
            bank_account="123456789",
            tax_status="f" if i % 50 == 0 else "a",
        )
    first_assignment = assignments[0].pk
    with connection.cursor() as cursor:
        # Server-side generation: a million rows in seconds instead of a million ORM objects.
        for count, month in ((JANUARY, 1), (FEBRUARY, 2)):
            cursor.execute(
                """
                INSERT INTO compensation_feeline (assignment_id, resource_id, unit_id, cost_centre, kind, on_date,
                    quantity, amount_ore, explanation, status, approved_at, reason, created_at)
                SELECT a.id, a.resource_id, r.unit_id, u.cost_centre,
                       CASE WHEN g %% 5 = 0 THEN 'mileage_tax_free' ELSE 'fee' END,
                       make_date(2026, %s, 1 + (g %% 28)), 1, CASE WHEN g %% 2 = 0 THEN 90000 ELSE 180000 END,
                       'Heldag, över 4 timmar: 1 800 kr enligt ersättningsmodell 2026', 'approved', now(), '', now()
                FROM generate_series(1, %s) AS g
                JOIN assignments_assignment a ON a.id = %s + (g %% %s)
                JOIN requests_app_unitrequest r ON r.id = a.request_id
                JOIN requests_app_careunit u ON u.id = r.unit_id
                """,
                [month, count, first_assignment, PEOPLE],
            )
        cursor.execute("ANALYZE compensation_feeline")
    print(f"Built {PEOPLE} people and {JANUARY + FEBRUARY:,} lines in {time.perf_counter() - started:.0f} s.")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_batch() -> int:
    from compensation.services import create_batch

    started = time.perf_counter()
    batch = create_batch(period_start=date(2026, 2, 1), period_end=date(2026, 2, 28), actor=None)
    seconds = time.perf_counter() - started
    print(f"create_batch, {batch.line_count:,} lines: {seconds:.2f} s (requirement < 5 s)")
    started = time.perf_counter()
    from compensation.exports import xlsx_bytes

    size = len(xlsx_bytes(batch))
    print(f"  (information) XLSX of the same batch: {time.perf_counter() - started:.1f} s, {size / 1e6:.1f} MB")
    return 0 if seconds < 5 else 1


def measure_export() -> int:
    from compensation.exports import csv_chunks
    from compensation.models import PayoutBatch

    batch = PayoutBatch.objects.get(period_start=date(2026, 1, 1))
    before = peak_mb()
    started = time.perf_counter()
    size = lines = 0
    for chunk in csv_chunks(batch):
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    rate = batch.line_count / seconds
    peak = peak_mb()
    print(
        f"CSV export: {lines - 1:,} rows (F-skatt lines left out) of {batch.line_count:,} lines, {size / 1e6:.0f} MB "
        f"in {seconds:.1f} s = {rate:,.0f} lines/s (requirement >= 100,000); "
        f"peak RSS {peak:.0f} MB (before the export {before:.0f} MB; requirement <= 150 MB)"
    )
    return 0 if rate >= 100_000 and peak <= 150 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--phase", choices=["batch", "export"], help="run one measurement only, on the data as it is")
    args = parser.parse_args()
    if args.phase:
        setup_django()
        return measure_batch() if args.phase == "batch" else measure_export()
    config = database_config()
    ensure_database(config, drop=args.rebuild)
    setup_django(migrate=True)
    from compensation.models import FeeLine

    build()
    # Each run starts from unbatched lines, vacuumed: the reset leaves 1.1 million dead row
    # versions that an ordinary table (where lines are only ever taken once) never has.
    FeeLine.objects.filter(batch__isnull=False).update(batch=None)
    from django.db import connection

    from compensation.models import PayoutBatch
    from compensation.services import create_batch

    PayoutBatch.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE compensation_feeline")
    # The January batch is made here, so the export's process holds nothing but the export.
    create_batch(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), actor=None)
    failed = 0
    for phase in ("batch", "export"):
        failed |= subprocess.call([sys.executable, __file__, "--phase", phase])  # noqa: S603 - this script, fixed arguments
    return failed


if __name__ == "__main__":
    sys.exit(main())
