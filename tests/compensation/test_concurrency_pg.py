"""Parallel batch creation on PostgreSQL: a line is never in two batches (never paid twice).

SQLite serialises every writer, so the race cannot happen there; CI runs this on PostgreSQL.
"""

from contextlib import suppress
from datetime import date, time

import pytest
from django.db import connection
from django.db.models import Count

from compensation.enums import LineStatus
from compensation.models import FeeLine, PayoutBatch
from compensation.services import CompensationError, create_batch
from tests.compensation.factories import amount_model, done_assignment, ensure_price_base_amounts, held
from tests.requests_app.test_concurrency_pg import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def test_batches_created_at_the_same_moment_never_share_a_line(settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    ensure_price_base_amounts()
    amount_model()
    for day in range(1, 21):
        done_assignment([held(date(2026, 3, day)), held(date(2026, 3, day), time(9, 0), time(11, 0))])
    total = FeeLine.objects.filter(status=LineStatus.APPROVED).count()
    assert total == 40

    def job():
        with suppress(CompensationError):  # another batch took every line first
            create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=None)

    run_together([job for _ in range(6)])

    assert FeeLine.objects.filter(batch__isnull=True).count() == 0
    batches = list(PayoutBatch.objects.annotate(n=Count("lines")))
    assert sum(b.n for b in batches) == total
    assert all(b.n == b.line_count for b in batches)
    assert sum(b.total_ore for b in batches) == sum(FeeLine.objects.values_list("amount_ore", flat=True))
