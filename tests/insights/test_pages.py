"""The statistics page, its CSVs and small-cell suppression; queries do not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights import figures
from insights.disclosure import shown, suppressed_label
from requests_app.enums import RequestStatus
from tests.assignments.factories import AssignmentFactory
from tests.factories import CareUnitFactory, ExperienceResourceFactory, request_at

pytestmark = pytest.mark.django_db


def test_disclosure_rule():
    assert [shown(n) for n in (0, 1, 4, 5, 120)] == [0, "färre än 5", "färre än 5", 5, 120]
    assert shown(73, base=4) == "färre än 5"  # a share resting on four people
    assert shown(73, base=5) == 73
    assert shown(None) == "–"
    assert suppressed_label() == "färre än 5"


def _world(requests: int, unit=None):
    unit = unit or CareUnitFactory(name="Diabetesmottagningen")
    for _ in range(requests):
        request_at(RequestStatus.IN_TRIAGE, unit=unit)
    return unit


def test_small_counts_are_suppressed_in_the_page_and_the_csv(client, coordinator, login):
    unit = _world(3)
    for _ in range(7):
        ExperienceResourceFactory(status="active")
    figures.refresh()
    login(client, coordinator)
    html = client.get(reverse("insights:statistics")).content.decode()
    # three requests: never shown as 3
    assert '<th scope="row">Inkomna förfrågningar</th><td>färre än 5</td>' in html
    assert '<th scope="row">Aktiv</th><td>7</td>' in html
    # and the chart says the same, with no bar drawn for it
    assert ">Diabetesmottagningen</text>" in html
    response = client.get(reverse("insights:statistics_csv", args=["forfragningar"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[1] == ["Inkomna förfrågningar", "färre än 5"]
    by_unit = list(
        csv.reader(
            io.StringIO(client.get(reverse("insights:statistics_csv", args=["forfragningar-verksamhet"])).content.decode()),
            delimiter=";",
        )
    )
    assert by_unit == [["Verksamhet", "Förfrågningar"], [unit.name, "färre än 5"]]
    assert "3" not in [c for row in by_unit for c in row]


def test_a_csv_that_does_not_exist_is_404(client, coordinator, login):
    login(client, coordinator)
    assert client.get(reverse("insights:statistics_csv", args=["finns-inte"])).status_code == 404


def test_a_wrong_period_shows_the_error_beside_the_field(client, coordinator, login):
    login(client, coordinator)
    response = client.get(reverse("insights:statistics"), {"from_month": "2025-13", "to_month": "2025-02"})
    assert response.status_code == 400
    assert "Skriv månaden som ÅÅÅÅ-MM" in response.content.decode()
    assert 'value="2025-13"' in response.content.decode()


def _count_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("insights:statistics"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(unit, n):
    for _ in range(n):
        request = request_at(RequestStatus.MATCHED, unit=unit)
        AssignmentFactory(request=request, status="done", done_at=request.submitted_at)


def test_the_page_runs_the_same_queries_at_one_and_many_rows(client, coordinator, login):
    login(client, coordinator)
    unit = CareUnitFactory(name="Diabetesmottagningen")
    _grow(unit, 1)
    figures.refresh()
    one = _count_queries(client)
    one_unit = _count_queries(client, unit=unit.pk)
    one_organisation = _count_queries(client, organisation=unit.organisation)
    _grow(unit, 12)
    for i in range(4):
        _grow(CareUnitFactory(name=f"Enhet {i}", organisation=f"Org {i}"), 3)
    figures.refresh()
    assert _count_queries(client) == one == 19
    assert _count_queries(client, unit=unit.pk) == one_unit
    assert _count_queries(client, organisation=unit.organisation) == one_organisation == 19
