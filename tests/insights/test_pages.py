"""The statistics page, its CSVs and small-cell suppression; queries do not grow with the rows."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compensation.enums import LineKind
from compensation.models import FeeLine
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


def _pay(unit, n):
    """n fee lines billed to the unit, each for another person."""
    for _ in range(n):
        assignment = AssignmentFactory(request=request_at(RequestStatus.MATCHED, unit=unit), status="done")
        FeeLine.objects.create(
            assignment=assignment,
            resource=assignment.resource,
            unit=unit,
            cost_centre=unit.cost_centre,
            kind=LineKind.FEE,
            on_date=timezone.localdate(),
            amount_ore=180_000,
            explanation="Arvode",
        )


def test_the_page_runs_the_same_queries_at_one_and_many_rows(client, coordinator, login):
    login(client, coordinator)
    unit = CareUnitFactory(name="Diabetesmottagningen")
    _grow(unit, 1)
    _pay(unit, 1)
    figures.refresh()
    one = _count_queries(client)
    one_unit = _count_queries(client, unit=unit.pk)
    one_organisation = _count_queries(client, organisation=unit.organisation)
    _grow(unit, 12)
    _pay(unit, 6)
    for i in range(4):
        other = CareUnitFactory(name=f"Enhet {i}", organisation=f"Org {i}")
        _grow(other, 3)
        _pay(other, 2)
    figures.refresh()  # a new refresh: the cached pages are not used
    assert _count_queries(client) == one == 19
    assert _count_queries(client, unit=unit.pk) == one_unit
    assert _count_queries(client, organisation=unit.organisation) == one_organisation == 19


def test_a_second_view_is_served_from_the_cache_until_the_figures_are_counted_again(client, coordinator, login):
    login(client, coordinator)
    unit = CareUnitFactory(name="Diabetesmottagningen")
    for _ in range(5):
        request_at(RequestStatus.IN_TRIAGE, unit=unit)
    figures.refresh()
    first = client.get(reverse("insights:statistics")).content.decode()
    assert '<th scope="row">Inkomna förfrågningar</th><td>5</td>' in first
    cold = _count_queries(client, organisation=unit.organisation)
    warm = _count_queries(client, organisation=unit.organisation)
    assert (cold, warm) == (19, 7)  # the figures, names, questions, fees and quotes are not read again
    for _ in range(3):
        request_at(RequestStatus.IN_TRIAGE, unit=unit)
    # until the figures are counted again the page shows what was counted (and says when)
    assert "<td>5</td>" in client.get(reverse("insights:statistics")).content.decode().split("Inkomna förfrågningar</th>")[1][:12]
    figures.refresh()
    again = client.get(reverse("insights:statistics")).content.decode()
    assert '<th scope="row">Inkomna förfrågningar</th><td>8</td>' in again
    # the warm page runs the same queries whatever the rows
    for i in range(3):
        _grow(CareUnitFactory(name=f"Enhet {i}", organisation=unit.organisation), 4)
    figures.refresh()
    _count_queries(client, organisation=unit.organisation)
    assert _count_queries(client, organisation=unit.organisation) == warm


def test_the_cache_keeps_the_language_period_and_scope_apart(client, coordinator, login):
    login(client, coordinator)
    unit = CareUnitFactory(name="Diabetesmottagningen", organisation="Region Exempel")
    other = CareUnitFactory(name="Strokeenheten", organisation="Annan region")
    for _ in range(6):
        request_at(RequestStatus.IN_TRIAGE, unit=unit)
    figures.refresh()
    year = timezone.localdate().year
    region = client.get(reverse("insights:statistics"), {"year": year}).content.decode()
    elsewhere = client.get(reverse("insights:statistics"), {"year": year, "organisation": other.organisation}).content.decode()
    last_year = client.get(reverse("insights:statistics"), {"year": year - 1}).content.decode()
    assert '<th scope="row">Inkomna förfrågningar</th><td>6</td>' in region
    assert '<th scope="row">Inkomna förfrågningar</th><td>0</td>' in elsewhere
    assert '<th scope="row">Inkomna förfrågningar</th><td>0</td>' in last_year
    # the CSV links in the cached HTML carry the period and scope they were drawn for
    assert f"forfragningar.csv?year={year}&amp;organisation=Annan+region" in elsewhere
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("insights:statistics"), {"year": year}).content.decode()
    assert '<th scope="row">Requests received</th><td>6</td>' in english
    assert "Inkomna förfrågningar" not in english


def test_every_table_has_its_csv_and_every_chart_is_an_accessible_svg(client, coordinator, login):
    unit = CareUnitFactory(name="Diabetesmottagningen")
    _grow(unit, 6)
    _pay(unit, 6)
    figures.refresh()
    login(client, coordinator)
    html = client.get(reverse("insights:statistics")).content.decode()
    slugs = re.findall(r'<h3 id="table-([a-z0-9-]+)"', html)
    assert {"forfragningar", "bank-status", "efterfragan", "utvarderingar", "arvoden-verksamhet"} <= set(slugs)
    for slug in slugs:
        link = f"/samordning/statistik/{slug}.csv?year={timezone.localdate().year}"
        assert link in html, slug
        response = client.get(link)
        assert response.status_code == 200, slug
        header = next(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
        assert len(header) >= 2, slug
    charts = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert len(charts) >= 10
    for chart in charts:
        labelled = re.search(r'role="img" aria-labelledby="([^" ]+) ([^"]+)"', chart)
        assert labelled, chart[:200]
        assert f'<title id="{labelled[1]}">' in chart and f'<desc id="{labelled[2]}">' in chart
        assert "<script" not in chart and "style=" not in chart
    # each chart is followed by its table of numbers
    assert all(
        re.search(r"</figure>\s*<div class=\"table-responsive\">\s*<table", part)
        for part in html.split('<figure class="mb-2">')[1:]
    )


def test_the_beat_refresh_draws_this_years_pages_so_the_first_view_is_cached(client, coordinator, login):
    from insights.tasks import refresh_figures

    unit = CareUnitFactory(name="Diabetesmottagningen")
    for _ in range(6):
        request_at(RequestStatus.IN_TRIAGE, unit=unit)
    refresh_figures()
    login(client, coordinator)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("insights:finance_statistics")).status_code == 200
    assert not any("insights_figure" in q["sql"] or "compensation_feeline" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("insights:statistics")).status_code == 200
    read = " ".join(q["sql"] for q in ctx.captured_queries)
    # neither the figures, the fees nor the quotes are read: the refresh drew the page
    for table in ("insights_figure", "compensation_feeline", "evaluations_answer", "evaluations_question"):
        assert table not in read
    assert len(ctx.captured_queries) == 8  # signing in, the refresh time and the form's menus
    html = client.get(reverse("insights:statistics")).content.decode()
    assert '<th scope="row">Inkomna förfrågningar</th><td>6</td>' in html


def test_a_page_that_fails_to_draw_after_the_refresh_does_not_undo_the_refresh(monkeypatch):
    from insights import pages
    from insights.models import Refresh
    from insights.tasks import refresh_figures

    def broken(_refreshed_at):
        raise RuntimeError("template missing")

    monkeypatch.setattr(pages, "warm", broken)
    refresh_figures()
    assert Refresh.objects.count() == 1
