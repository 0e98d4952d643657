"""Reference numbers under truly concurrent submits: needs PostgreSQL's row locks.

SQLite serialises every writer, so the race these tests look for cannot happen there; they
run in CI, where `make test` uses PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from requests_app.enums import RequestStatus
from requests_app.models import RequestCounter, UnitRequest
from requests_app.services import submit_request
from tests.factories import CareUnitFactory, UnitRequestFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"),
]


def run_together(jobs):
    """Starts every job at the same instant, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as exc:  # noqa: BLE001 -- reported below: a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_concurrent_submits_get_consecutive_references_without_gaps_or_duplicates():
    unit = CareUnitFactory()
    drafts = [UnitRequestFactory(unit=unit) for _ in range(12)]
    assert not RequestCounter.objects.exists()  # the year's counter row is created in the race too

    run_together([lambda d=d: submit_request(d, actor=None) for d in drafts])

    year = timezone.localdate().year
    references = sorted(UnitRequest.objects.values_list("reference", flat=True))
    assert references == [f"LB-{year}-{n:04d}" for n in range(1, 13)]
    assert set(UnitRequest.objects.values_list("status", flat=True)) == {RequestStatus.SUBMITTED}
    assert RequestCounter.objects.get(year=year).last == 12


def test_the_same_draft_submitted_twice_at_once_gets_one_reference():
    draft = UnitRequestFactory(unit=CareUnitFactory())

    run_together([lambda: submit_request(UnitRequest.objects.get(pk=draft.pk), actor=None) for _ in range(4)])

    draft.refresh_from_db()
    assert draft.reference == f"LB-{timezone.localdate().year}-0001"
    assert RequestCounter.objects.get().last == 1
