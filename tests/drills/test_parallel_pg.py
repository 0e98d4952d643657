"""Fault drill: many people at the same moment (PostgreSQL only; SQLite serialises writers).

50 units' staff press "send" at once through the real form: 50 distinct references, no gaps.
Finance creates payout batches at once over overlapping periods: no fee line is in two
batches, and each batch's stored count and sum are those of its own lines.
"""

import uuid
from contextlib import suppress
from datetime import date, time

import pytest
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from compensation.enums import LineStatus
from compensation.models import FeeLine, PayoutBatch
from compensation.services import CompensationError, create_batch
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.compensation.factories import amount_model, done_assignment, ensure_price_base_amounts, held
from tests.conftest import sign_in
from tests.drills.conftest import ensure_reference_data, needs_postgres
from tests.requests_app.test_concurrency_pg import run_together
from tests.requests_app.test_form import form_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    needs_postgres("concurrent transactions (SQLite serialises writers)"),
]

SUBMITS = 50


def test_50_parallel_submits_get_50_distinct_references(unit, unit_staff):
    ensure_reference_data()
    clients = [sign_in(Client(), unit_staff) for _ in range(SUBMITS)]
    statuses = []

    def submit(browser, n):
        data = form_data(unit, title=f"Parallell {n}", token=str(uuid.uuid4()))
        statuses.append(browser.post("/verksamhet/forfragningar/ny/", data).status_code)

    run_together([lambda b=b, n=n: submit(b, n) for n, b in enumerate(clients)])

    assert statuses == [302] * SUBMITS
    year = timezone.localdate().year
    references = sorted(UnitRequest.objects.filter(status=RequestStatus.SUBMITTED).values_list("reference", flat=True))
    assert references == [f"LB-{year}-{n:04d}" for n in range(1, SUBMITS + 1)]


PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 1), date(2026, 3, 15)),
    (date(2026, 3, 10), date(2026, 3, 20)),
    (date(2026, 3, 16), date(2026, 3, 31)),
    (date(2026, 3, 5), date(2026, 3, 25)),
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 12), date(2026, 3, 12)),
    (date(2026, 3, 20), date(2026, 3, 31)),
]


def test_parallel_payout_batches_over_overlapping_periods_never_share_a_fee_line(settings):
    settings.COMPENSATION_AUTO_APPROVE = True
    ensure_price_base_amounts()
    amount_model()
    for day in range(1, 29):
        done_assignment([held(date(2026, 3, day)), held(date(2026, 3, day), time(9, 0), time(11, 0))])
    lines = dict(FeeLine.objects.filter(status=LineStatus.APPROVED).values_list("pk", "on_date"))
    assert len(lines) == 56

    def job(start, end):
        with suppress(CompensationError):  # the other batches took every line of this period first
            create_batch(period_start=start, period_end=end, actor=None)

    run_together([lambda s=s, e=e: job(s, e) for s, e in PERIODS])

    batched = list(FeeLine.objects.values_list("pk", "batch_id"))
    assert all(batch_id is not None for _pk, batch_id in batched)  # two whole-month batches ran
    assert len({pk for pk, _ in batched}) == len(lines)
    for batch in PayoutBatch.objects.annotate(n=Count("lines"), sum_ore=Sum("lines__amount_ore")):
        assert (batch.line_count, batch.total_ore) == (batch.n, batch.sum_ore)
        own = FeeLine.objects.filter(batch=batch).values_list("on_date", flat=True)
        assert all(batch.period_start <= day <= batch.period_end for day in own)
    assert sum(PayoutBatch.objects.values_list("line_count", flat=True)) == len(lines)
