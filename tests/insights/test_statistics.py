"""Every figure on the statistics page against a count made independently, in Python, over the
objects the factories built (tests/insights/world.py)."""

import csv
import io
import math
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from compensation.enums import LineKind
from evaluations.enums import QuestionKind, Respondent
from evaluations.models import Question
from insights import figures
from insights.amounts import Kronor
from insights.disclosure import shown
from insights.figures import NOT_HELD
from insights.quotes import allowed_quotes
from insights.selectors import Period, Scope, coordinator_sections, finance_sections
from registry.enums import PerspectiveCode, ResourceStatus
from requests_app.enums import RequestStatus, WorkKind
from tests.insights.world import YEAR, build

pytestmark = pytest.mark.django_db

IN_BANK = {ResourceStatus.ACTIVE, ResourceStatus.PAUSED}


@pytest.fixture
def world():
    w = build()
    figures.refresh()
    return w


def _in_year(moment, year=YEAR):
    return moment is not None and moment.astimezone().year == year if hasattr(moment, "astimezone") else moment.year == year


def _local_year(moment):
    return timezone.localtime(moment).year


def tables(period=None, scope=None):
    period = period or Period.year(YEAR)
    return {t.slug: t.rows for s in coordinator_sections(period, scope or Scope()) for t in s.tables}


def nearest_rank(values, share):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1] if ordered else None


def band(birth_year):
    if birth_year is None:
        return "okänd"
    age = YEAR - birth_year
    for low, high, label in [(0, 29, "under 30"), (30, 49, "30–49"), (50, 64, "50–64"), (65, 79, "65–79"), (80, 200, "80+")]:
        if low <= age <= high:
            return label
    return "okänd"


def expected_requests(world, unit=None, organisation=None):
    rows = [
        r
        for r in world.requests
        if _local_year(r[1]) == YEAR
        and (unit is None or r[0].unit == unit)
        and (organisation is None or r[0].unit.organisation == organisation)
    ]
    matched = [r for r in rows if r[2] is not None]
    days = [(r[2] - r[1]).days for r in matched]
    share = round(100 * len(matched) / len(rows)) if rows else None
    summary = [
        ["Inkomna förfrågningar", shown(len(rows))],
        ["Matchade", shown(len(matched))],
        ["Andel matchade (procent)", shown(share, base=len(rows))],
        ["Dagar från inskickad till matchad, median", shown(nearest_rank(days, 0.5), base=len(matched))],
        ["Dagar från inskickad till matchad, 90:e percentilen", shown(nearest_rank(days, 0.9), base=len(matched))],
    ]
    kinds = Counter(r[0].kind for r in rows)
    outcomes = Counter(r[0].status for r in rows)
    units = Counter(r[0].unit.name for r in rows)
    return {
        "forfragningar": summary,
        "forfragningar-typ": [[label, shown(kinds.get(v, 0))] for v, label in WorkKind.choices],
        "forfragningar-utfall": [[label, shown(outcomes.get(v, 0))] for v, label in RequestStatus.choices if v != "draft"],
        "forfragningar-verksamhet": sorted([[name, shown(n)] for name, n in units.items()], key=str),
        "areas_wanted": Counter(a for r in rows for a in r[3]),
    }


def expected_contributions(world, unit=None, organisation=None):
    done = [
        (a, sessions)
        for a, done_at, sessions in world.assignments
        if done_at is not None
        and _local_year(done_at) == YEAR
        and (unit is None or a.request.unit == unit)
        and (organisation is None or a.request.unit.organisation == organisation)
    ]
    hours = sum((s.held_hours for _a, sessions in done for s in sessions if s.outcome not in NOT_HELD), Decimal(0))
    kinds = Counter(a.request.kind for a, _s in done)
    return {
        "insatser": [
            ["Insatser (en per person och genomfört uppdrag)", shown(len(done))],
            ["Timmar", shown(hours.quantize(Decimal("0.1")), base=len(done))],
        ],
        "insatser-typ": [[label, shown(kinds.get(v, 0))] for v, label in WorkKind.choices],
    }


def test_every_figure_for_the_year_matches_an_independent_count(world):
    actual = tables()
    people = world.people
    in_bank = [p for p in people if p.status in IN_BANK]
    # the bank
    assert actual["bank-status"] == [[label, shown(sum(p.status == v for p in people))] for v, label in ResourceStatus.choices]
    assert actual["bank-perspektiv"] == [
        [label, shown(sum(v in p.perspective_codes for p in in_bank))] for v, label in PerspectiveCode.choices
    ]
    assert actual["bank-omraden"] == [[a.name, shown(sum(a.pk in p.area_ids for p in in_bank))] for a in world.areas]
    bands = Counter(band(p.birth_year) for p in in_bank)
    assert actual["bank-alder"] == [[b, shown(bands.get(b, 0))] for b in ["under 30", "30–49", "50–64", "65–79", "80+", "okänd"]]
    places = Counter(p.municipality for p in in_bank)
    assert actual["bank-kommun"] == [
        [name or "okänd", shown(n)] for name, n in sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    joined = sum(p.status in IN_BANK | {ResourceStatus.LEFT} and _local_year(p.created_at) == YEAR for p in people)
    left = sum(p.left_at is not None and _local_year(p.left_at) == YEAR for p in people)
    trained = sum(p.training_completed_on is not None and p.training_completed_on.year == YEAR for p in people)
    assert actual["bank-flode"] == [
        ["Nya personer i banken", shown(joined)],
        ["Personer som har lämnat", shown(left)],
        ["Introduktionsutbildningar hållna", shown(len(world.trainings))],
        ["Personer som gått introduktionsutbildningen", shown(trained)],
    ]
    # requests
    expected = expected_requests(world)
    for slug in ("forfragningar", "forfragningar-typ", "forfragningar-utfall"):
        assert actual[slug] == expected[slug], slug
    assert sorted(actual["forfragningar-verksamhet"], key=str) == expected["forfragningar-verksamhet"]
    # contributions and hours
    contributions = expected_contributions(world)
    assert actual["insatser"] == contributions["insatser"]
    assert actual["insatser-typ"] == contributions["insatser-typ"]
    # spread over the people active now
    active = [p for p in people if p.status == ResourceStatus.ACTIVE]
    per_person = Counter(a.resource_id for a, done_at, _s in world.assignments if done_at and _local_year(done_at) == YEAR)
    counts = sorted((per_person.get(p.pk, 0) for p in active), reverse=True)
    total = sum(counts)
    top = sum(counts[: max(1, len(active) // 10)])
    asked = {i.resource_id for i in world.inquiries if _local_year(i.sent_at) == YEAR}
    used = sum(1 for c in counts if c)
    assert actual["spridning"] == [
        ["Aktiva personer nu", shown(len(active))],
        ["Aktiva som gjort minst en insats under perioden", shown(used)],
        [
            "Andel av insatserna som gick till den tiondel som gjort flest (procent)",
            shown(round(100 * top / total) if total else None, base=used),
        ],
        ["Aktiva som inte tillfrågats under perioden", shown(sum(p.pk not in asked for p in active))],
    ]
    # demand against coverage
    wanted = expected["areas_wanted"]
    rows = []
    for area in world.areas:
        supply = sum(area.pk in p.area_ids for p in active)
        demand = wanted.get(area.pk, 0)
        rows.append([area.name, shown(demand), shown(supply), "Risk" if supply < 5 or demand > supply else ""])
    assert actual["efterfragan"] == rows


def test_evaluation_figures_match_an_independent_count(world):
    actual = tables()
    in_year = [(e, answers) for e, answers in world.evaluations if _local_year(e.submitted_at) == YEAR]
    questions = Question.objects.filter(question_set__published_at__isnull=False).select_related("question_set")
    summary = []
    for respondent, label in Respondent.choices:
        mine = [(e, a) for e, a in in_year if e.respondent == respondent]
        summary.append([str(label), "Besvarade utvärderingar", shown(len(mine)), "–", "–"])
        for question in questions.filter(question_set__respondent=respondent).order_by("order", "pk"):
            given = [a[question.key] for _e, a in mine if question.key in a]
            slug = f"utvardering-{respondent}-{question.key}"
            if question.kind == QuestionKind.RATING:
                ratings = [a.rating for a in given]
                mean = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1")) if ratings else None
                summary.append([str(label), question.text, shown(len(ratings)), shown(mean, base=len(ratings)), "–"])
                assert actual[slug] == [[str(n), shown(ratings.count(n))] for n in range(5, 0, -1)], slug
            elif question.kind == QuestionKind.YES_NO:
                yes = sum(a.choice for a in given)
                share = round(100 * yes / len(given)) if given else None
                summary.append([str(label), question.text, shown(len(given)), "–", shown(share, base=len(given))])
                assert actual[slug] == [["Ja", shown(yes)], ["Nej", shown(len(given) - yes)]], slug
    assert actual["utvarderingar"] == summary


def test_quotes_are_only_those_people_allowed(world):
    window = figures.Window(start=date(YEAR, 1, 1), end=date(YEAR + 1, 1, 1))
    quotes = allowed_quotes(window, limit=1000)
    expected = {
        a.pk
        for e, answers in world.evaluations
        if e.quote_allowed and _local_year(e.submitted_at) == YEAR
        for a in answers.values()
        if a.text
    }
    assert {q.pk for q in quotes} == expected
    assert expected  # the world has some


def test_the_world_has_both_small_and_large_cells(world):
    """Otherwise the test above would prove little about suppression."""
    cells = [c for rows in tables().values() for row in rows for c in row[1:]]
    assert "färre än 5" in cells
    assert any(isinstance(c, int) and c >= 5 for c in cells)


def test_an_organisation_and_a_unit_count_only_their_own(world):
    organisation = "Region Exempel"
    unit = world.units[2]
    by_org = tables(scope=Scope(organisation=organisation))
    by_unit = tables(scope=Scope(unit=unit))  # counted live
    for actual, kwargs in ((by_org, {"organisation": organisation}), (by_unit, {"unit": unit})):
        expected = expected_requests(world, **kwargs)
        contributions = expected_contributions(world, **kwargs)
        assert actual["forfragningar"] == expected["forfragningar"]
        assert actual["forfragningar-typ"] == expected["forfragningar-typ"]
        assert actual["forfragningar-utfall"] == expected["forfragningar-utfall"]
        assert sorted(actual["forfragningar-verksamhet"], key=str) == expected["forfragningar-verksamhet"]
        assert actual["insatser"] == contributions["insatser"]


def test_a_range_of_months_equals_the_live_count(world):
    """From-to is summed from stored months; the same collectors counted live must agree."""
    period = Period(date(YEAR, 3, 1), date(YEAR, 9, 1), "2025-03–2025-08")
    stored = tables(period=period)
    rows = list(figures.collect(figures.Window(start=period.start, end=period.end)))
    total = sum(v for _g, _m, metric, _k, v in rows if metric == "req.total")
    expected = sum(1 for r in world.requests if period.start <= r[1].astimezone().date() < period.end)
    assert total == expected
    assert stored["forfragningar"][0] == ["Inkomna förfrågningar", shown(expected)]


def test_since_the_start_counts_every_year(world):
    rows = tables(period=Period.since_start(date(YEAR + 1, 1, 1)))
    assert rows["forfragningar"][0] == ["Inkomna förfrågningar", shown(len(world.requests))]


def expected_fees(world, year=YEAR, unit=None, organisation=None):
    """The fee tables counted over the lines the world made, in Python."""
    lines = [
        line
        for line in world.fee_lines
        if line.on_date.year == year
        and (unit is None or line.unit == unit)
        and (organisation is None or line.unit.organisation == organisation)
    ]

    def row(label, group):
        people = len({line.resource_id for line in group})
        fees = sum(line.amount_ore for line in group if line.kind == LineKind.FEE)
        total = sum(line.amount_ore for line in group)
        amounts = [shown(Kronor(v), base=people) for v in (fees, total - fees, total)]
        return [label, shown(people), *amounts], people, total

    def table(key):
        groups = {}
        for line in lines:
            groups.setdefault(key(line), []).append(line)
        rows = [row(name, group) for name, group in groups.items()]
        small = sorted((r for r in rows if 0 < r[1] < 5), key=lambda r: r[0][0])
        large = sorted((r for r in rows if not 0 < r[1] < 5), key=lambda r: (-r[2], r[0][0]))
        return [r[0] for r in large + small]

    return {
        "lines": lines,
        "arvoden-verksamhet": table(lambda line: line.unit.name),
        "arvoden-kostnadsstalle": table(lambda line: line.cost_centre),
        "total": row("", lines)[0][1:],
    }


def test_fees_per_unit_and_cost_centre_match_an_independent_count(world):
    actual = tables()
    expected = expected_fees(world)
    assert actual["arvoden"] == [["hela regionen", *expected["total"]]]
    assert actual["arvoden-verksamhet"] == expected["arvoden-verksamhet"]
    assert actual["arvoden-kostnadsstalle"] == expected["arvoden-kostnadsstalle"]
    # the world has what the test needs to mean something: a reversal in the year, a cost
    # centre changed within a unit, lines from another year left out, and a withheld total
    assert any(line.amount_ore < 0 for line in expected["lines"])
    assert any(line.on_date.year != YEAR for line in world.fee_lines)
    by_cost_centre = {r[0]: r for r in actual["arvoden-kostnadsstalle"]}
    assert {"41000", "40999", world.units[2].cost_centre} <= set(by_cost_centre)
    assert isinstance(by_cost_centre["41000"][1], int) and by_cost_centre["41000"][1] >= 5
    assert ["Tandvårdskliniken", "färre än 5", "färre än 5", "färre än 5", "färre än 5"] in actual["arvoden-verksamhet"]
    assert any(isinstance(r[4], Kronor) and r[4].ore >= 1_000_000 for r in actual["arvoden-verksamhet"])


def test_fees_for_an_organisation_a_unit_and_months(world):
    organisation = "Exempels kommun"
    by_org = tables(scope=Scope(organisation=organisation))
    expected = expected_fees(world, organisation=organisation)
    assert by_org["arvoden-verksamhet"] == expected["arvoden-verksamhet"]
    assert by_org["arvoden"] == [[organisation, *expected["total"]]]
    unit = world.units[0]
    by_unit = tables(scope=Scope(unit=unit))
    assert by_unit["arvoden-kostnadsstalle"] == expected_fees(world, unit=unit)["arvoden-kostnadsstalle"]
    months = tables(period=Period(date(YEAR, 7, 1), date(YEAR + 1, 1, 1), "2025-07–2025-12"))
    in_months = [line for line in world.fee_lines if date(YEAR, 7, 1) <= line.on_date < date(YEAR + 1, 1, 1)]
    people = len({line.resource_id for line in in_months})
    assert months["arvoden"][0][1] == shown(people)
    assert months["arvoden"][0][4] == shown(Kronor(sum(line.amount_ore for line in in_months)), base=people)
    # after July the third unit's lines are all on its new cost centre
    assert "40999" not in {r[0] for r in months["arvoden-kostnadsstalle"]}


def test_fees_are_shown_in_kronor_the_swedish_way_on_the_page_and_in_the_csv(world, client, finance, login):
    login(client, finance)
    expected = expected_fees(world)
    total = sum(line.amount_ore for line in expected["lines"])
    html = client.get(reverse("insights:finance_statistics"), {"year": YEAR}).content.decode()
    kronor, ore = divmod(total, 100)
    grouped = f"{kronor:,}".replace(",", "\u00a0") + (f",{ore:02d}" if ore else "") + "\u00a0kr"
    assert f"<td>{grouped}</td>" in html
    assert "Tandvårdskliniken</th><td>färre än 5</td><td>färre än 5</td>" in html
    assert "123\u00a0450" not in html and "1\u00a0234,50" not in html  # the small unit's amounts never appear
    response = client.get(reverse("insights:finance_csv", args=["arvoden-verksamhet"]), {"year": YEAR})
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["Verksamhet", "Personer med ersättning", "Arvoden", "Reseersättning och andra ersättningar", "Totalt"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Tandvårdskliniken"][1:] == ["färre än 5"] * 4
    assert "2469,00" not in response.content.decode()
    big = next(r for r in expected["arvoden-verksamhet"] if isinstance(r[4], Kronor))
    assert by_name[big[0]][4] == f"{big[4].ore // 100},{big[4].ore % 100:02d}"
    summary = list(
        csv.reader(
            io.StringIO(client.get(reverse("insights:finance_csv", args=["arvoden"]), {"year": YEAR}).content.decode()),
            delimiter=";",
        )
    )
    assert summary[1][4] == f"{total // 100},{total % 100:02d}"


def test_the_coordinators_see_the_fees_too_but_not_in_the_yearly_report(world, client, coordinator, login):
    login(client, coordinator)
    html = client.get(reverse("insights:statistics"), {"year": YEAR}).content.decode()
    assert 'id="section-arvoden"' in html
    assert "Arvoden och ersättningar per kostnadsställe" in html
    from insights.models import YearlyReport
    from insights.report import context

    sections = context(YearlyReport(year=YEAR, version=1, quotes=[]))["year_sections"]
    assert "arvoden" not in [s.slug for s in sections]


def test_finance_sees_totals_only(world, client, finance, login):
    login(client, finance)
    response = client.get(reverse("insights:finance_statistics"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    for health in ("Erfarenhetsområden", '<th scope="row">Diabetes</th>', "Perspektiv", "Kommun", "Ålder"):
        assert health not in html
    slugs = [t.slug for s in finance_sections(Period.year(YEAR), Scope()) for t in s.tables]
    assert slugs == ["totaler", "arvoden", "arvoden-verksamhet", "arvoden-kostnadsstalle"]
    # nor through the CSV links: the coordinators' tables are not finance's
    for slug in ("bank-omraden", "bank-kommun", "efterfragan", "utvarderingar"):
        assert client.get(reverse("insights:finance_csv", args=[slug]), {"year": YEAR}).status_code == 404, slug
    assert client.get(reverse("insights:statistics")).status_code == 403


def test_only_coordinators_see_the_statistics(personas, client, login):
    for name, user in personas.items():
        client.logout()
        login(client, user)
        expected = 200 if name == "coordinator" else 403
        assert client.get(reverse("insights:statistics")).status_code == expected, name
        assert client.get(reverse("insights:statistics_csv", args=["forfragningar"])).status_code == (
            404 if False else expected
        ), name
