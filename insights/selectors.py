"""Reading the figures for a period and a scope, and turning them into the published tables."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from evaluations.enums import QuestionKind, Respondent
from evaluations.models import Question
from insights import figures
from insights.disclosure import THRESHOLD, shown
from insights.fees import fee_tables
from insights.figures import Window
from insights.models import Figure, Refresh
from insights.tables import Table
from registry.enums import PerspectiveCode, ResourceStatus
from registry.models import ExperienceArea
from requests_app.enums import RequestStatus, WorkKind
from requests_app.models import CareUnit

AGE_BANDS = [(0, 29, "under 30"), (30, 49, "30–49"), (50, 64, "50–64"), (65, 79, "65–79"), (80, 200, "80+")]


@dataclass(frozen=True)
class Period:
    """Whole months: [start, end). `start` None means since the beginning."""

    start: date | None
    end: date
    label: str

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year + 1, 1, 1), str(year))

    @classmethod
    def since_start(cls, until: date) -> "Period":
        return cls(None, until, _("sedan starten"))

    @property
    def whole_year(self) -> int | None:
        if self.start and self.start.month == 1 and self.end == date(self.start.year + 1, 1, 1):
            return self.start.year
        return None

    @property
    def last_year(self) -> int:
        return (self.end.year - 1) if self.end.month == 1 else self.end.year


@dataclass(frozen=True)
class Scope:
    organisation: str = ""
    unit: CareUnit | None = None

    @property
    def key(self) -> str:
        return f"org:{self.organisation}" if self.organisation else ""

    @property
    def label(self) -> str:
        if self.unit:
            return self.unit.name
        return self.organisation or _("hela regionen")


@dataclass
class Figures:
    """The raw counts for one period and scope, before anything is published."""

    monthly: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    snapshot: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    spread: dict[str, Counter] = field(default_factory=dict)
    refreshed_at: object = None
    _index: dict = field(default_factory=dict, repr=False)

    def by(self, metric: str, source=None) -> dict[str, int]:
        source = self.monthly if source is None else source
        index = self._index.get(id(source))
        if index is None:  # built once per source: {metric: {key: value}}
            index = defaultdict(dict)
            for (m, key), value in source.items():
                index[m][key] = value
            self._index[id(source)] = index
        return index.get(metric, {})

    def total(self, metric: str) -> int:
        return sum(self.by(metric).values())


def last_refresh():
    """When the summary figures were last counted (None before the first refresh)."""
    refresh = Refresh.objects.order_by("-finished_at").first()
    return refresh.finished_at if refresh else None


def canonical_query(period: Period, scope: Scope) -> str:
    """The query string that shows this period and scope, for links inside the cached HTML."""
    params = {}
    if period.whole_year is not None:
        params["year"] = period.whole_year
    elif period.start:
        last = period.end - timedelta(days=1)
        params["from_month"], params["to_month"] = f"{period.start:%Y-%m}", f"{last:%Y-%m}"
    if scope.unit:
        params["unit"] = scope.unit.pk
    elif scope.organisation:
        params["organisation"] = scope.organisation
    return urlencode(params)


_UNREAD = object()


def load(period: Period, scope: Scope, *, refreshed_at=_UNREAD) -> Figures:
    """Three reads from the summary table (a single unit is counted live instead)."""
    result = Figures()
    result.refreshed_at = last_refresh() if refreshed_at is _UNREAD else refreshed_at
    window = Window(unit=scope.unit, start=period.start, end=period.end)
    if scope.unit:
        for _group, _month, metric, key, value in figures.collect(window):
            result.monthly[(metric, key)] += value
    else:
        wanted = Q(scope=scope.key) & ~Q(metric__startswith="bank.")
        if scope.organisation:  # "per unit" is stored for the region only: take this organisation's units
            units = [str(pk) for pk in CareUnit.objects.filter(organisation=scope.organisation).values_list("pk", flat=True)]
            wanted |= Q(scope="", metric__in=figures.REGION_ONLY, key__in=units)
        rows = Figure.objects.filter(wanted, granularity=Figure.Granularity.MONTH, month__lt=period.end)
        if period.start:
            rows = rows.filter(month__gte=period.start)
        for row in rows.values("metric", "key").annotate(v=Sum("value")).order_by():
            result.monthly[(row["metric"], row["key"])] += row["v"]
    # The bank is the region's whatever the scope: joined, left and trainings by month.
    bank = Figure.objects.filter(scope="", granularity__in=[Figure.Granularity.MONTH, Figure.Granularity.SNAPSHOT])
    bank = bank.filter(metric__startswith="bank.").exclude(month__gte=period.end)
    if period.start:
        bank = bank.exclude(month__lt=period.start)
    for row in bank.values("granularity", "metric", "key").annotate(v=Sum("value")).order_by():
        target = result.snapshot if row["granularity"] == Figure.Granularity.SNAPSHOT else result.monthly
        target[(row["metric"], row["key"])] += row["v"]
    year = period.whole_year
    if year is not None:
        result.spread = {"spread.ins": Counter(), "spread.asked": Counter()}
        stored = Figure.objects.filter(scope="", granularity=Figure.Granularity.YEAR, month=date(year, 1, 1))
        for metric, key, value in stored.values_list("metric", "key", "value"):
            result.spread.setdefault(metric, Counter())[int(key)] += value
    else:
        # Distinct people cannot be summed from months: a period other than a calendar year is counted live.
        result.spread = figures.spread_counts(Window(start=period.start, end=period.end))
    return result


def nearest_rank(histogram: dict[int, int], share: float) -> int | None:
    """The value at rank ceil(share * n) in the sorted values (nearest-rank percentile)."""
    n = sum(histogram.values())
    if not n:
        return None
    rank, seen = max(1, math.ceil(share * n)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None


def top_tenth_share(people_by_count: Counter, active: int) -> int | None:
    """The share (per cent) of the total that went to the busiest tenth of the active people."""
    total = sum(count * people for count, people in people_by_count.items())
    if not active or not total:
        return None
    left, top = max(1, active // 10), 0
    for count in sorted(people_by_count, reverse=True):
        take = min(left, people_by_count[count])
        top, left = top + take * count, left - take
        if not left:
            break
    return round(100 * top / total)


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def age_band(birth_year: str, year: int) -> str:
    if not birth_year:
        return _("okänd")
    age = year - int(birth_year)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return _("okänd")


# --- the sections -------------------------------------------------------------------------


def bank_tables(data: Figures, period: Period) -> list[Table]:
    status = Table("bank-status", _("Personer i banken per status (nu)"), [_("Status"), _("Personer")])
    by_status = data.by("bank.status", data.snapshot)
    for value, label in ResourceStatus.choices:
        status.add(label, by_status.get(value, 0))
    perspective = Table("bank-perspektiv", _("Perspektiv (aktiva och pausade)"), [_("Perspektiv"), _("Personer")])
    by_perspective = data.by("bank.perspective", data.snapshot)
    for value, label in PerspectiveCode.choices:
        perspective.add(label, by_perspective.get(value, 0))
    area = Table("bank-omraden", _("Erfarenhetsområden (aktiva och pausade)"), [_("Område"), _("Personer")])
    by_area = data.by("bank.area", data.snapshot)
    for pk, name in _area_names():
        area.add(name, by_area.get(str(pk), 0))
    age = Table("bank-alder", _("Ålder vid periodens slut (aktiva och pausade)"), [_("Ålder"), _("Personer")])
    bands: Counter = Counter()
    for birth_year, n in data.by("bank.birth_year", data.snapshot).items():
        bands[age_band(birth_year, period.last_year)] += n
    for label in [b[2] for b in AGE_BANDS] + [_("okänd")]:
        age.add(label, bands.get(label, 0))
    municipality = Table("bank-kommun", _("Kommun (aktiva och pausade)"), [_("Kommun"), _("Personer")], page_rows=25)
    by_municipality = data.by("bank.municipality", data.snapshot)
    for name, n in sorted(by_municipality.items(), key=lambda kv: (-kv[1], kv[0])):
        municipality.add(name or _("okänd"), n)
    flow = Table("bank-flode", _("Under perioden"), [_("Vad"), _("Antal")])
    flow.add(_("Nya personer i banken"), data.total("bank.joined"))
    flow.add(_("Personer som har lämnat"), data.total("bank.left"))
    flow.add(_("Introduktionsutbildningar hållna"), data.total("bank.trainings"))
    flow.add(_("Personer som gått introduktionsutbildningen"), data.total("bank.trained"))
    return [status, perspective, area, age, municipality, flow]


def request_tables(data: Figures) -> list[Table]:
    total, matched = data.total("req.total"), data.total("req.matched")
    days = {int(k): v for k, v in data.by("req.match_days").items()}
    summary = Table("forfragningar", _("Förfrågningar"), [_("Vad"), _("Värde")], chart_column=None)
    summary.add(_("Inkomna förfrågningar"), total)
    summary.add(_("Matchade"), matched)
    summary.add(_("Andel matchade (procent)"), percent(matched, total), base=total, derived=(0,))
    summary.add(_("Dagar från inskickad till matchad, median"), nearest_rank(days, 0.5), base=matched, derived=(0,))
    summary.add(_("Dagar från inskickad till matchad, 90:e percentilen"), nearest_rank(days, 0.9), base=matched, derived=(0,))
    kind = Table("forfragningar-typ", _("Förfrågningar per typ av arbete"), [_("Typ av arbete"), _("Förfrågningar")])
    by_kind = data.by("req.kind")
    for value, label in WorkKind.choices:
        kind.add(label, by_kind.get(value, 0))
    outcome = Table("forfragningar-utfall", _("Förfrågningar per utfall (status nu)"), [_("Status"), _("Förfrågningar")])
    by_outcome = data.by("req.outcome")
    for value, label in RequestStatus.choices:
        if value != RequestStatus.DRAFT:
            outcome.add(label, by_outcome.get(value, 0))
    unit = Table(
        "forfragningar-verksamhet", _("Förfrågningar per verksamhet"), [_("Verksamhet"), _("Förfrågningar")], page_rows=25
    )
    by_unit = sorted(data.by("req.unit").items(), key=lambda kv: -kv[1])
    names = dict(CareUnit.objects.filter(pk__in=[int(k) for k, _v in by_unit]).values_list("pk", "name"))
    for pk, n in by_unit:
        unit.add(names.get(int(pk), pk), n)
    return [summary, kind, outcome, unit]


def contribution_tables(data: Figures) -> list[Table]:
    ins = data.total("ins.total")
    hours = (Decimal(data.total("ins.hours100")) / 100).quantize(Decimal("0.1"))
    summary = Table("insatser", _("Insatser och timmar"), [_("Vad"), _("Värde")], chart_column=None)
    summary.add(_("Insatser (en per person och genomfört uppdrag)"), ins)
    summary.add(_("Timmar"), hours, base=ins, derived=(0,))
    kind = Table("insatser-typ", _("Insatser per typ av arbete"), [_("Typ av arbete"), _("Insatser")])
    by_kind = data.by("ins.kind")
    for value, label in WorkKind.choices:
        kind.add(label, by_kind.get(value, 0))
    return [summary, kind]


def spread_table(data: Figures) -> Table:
    active = data.snapshot.get(("bank.active", ""), 0)
    ins, asked = data.spread.get("spread.ins", Counter()), data.spread.get("spread.asked", Counter())
    reached = sum(asked.values())
    used = sum(ins.values())
    table = Table("spridning", _("Hur insatserna sprids över de aktiva"), [_("Vad"), _("Värde")], chart_column=None)
    table.add(_("Aktiva personer nu"), active)
    table.add(_("Aktiva som gjort minst en insats under perioden"), used)
    table.add(
        _("Andel av insatserna som gick till den tiondel som gjort flest (procent)"),
        top_tenth_share(ins, active),
        base=used,
        derived=(0,),
    )
    table.add(_("Aktiva som inte tillfrågats under perioden"), max(0, active - reached))
    return table


def coverage_table(data: Figures) -> Table:
    """Demand against coverage: requests wanting an area against active people who have it."""
    table = Table(
        "efterfragan",
        _("Efterfrågan och täckning per erfarenhetsområde"),
        [_("Område"), _("Förfrågningar som önskar området"), _("Aktiva personer med området"), _("Risk")],
        chart_column=1,
    )
    wanted, covered = data.by("req.area"), data.by("bank.active_area", data.snapshot)
    for pk, name in _area_names():
        demand, supply = wanted.get(str(pk), 0), covered.get(str(pk), 0)
        at_risk = supply < THRESHOLD or demand > supply
        table.add(name, demand, supply, _("Risk") if at_risk else "")
        if at_risk:
            table.flagged.add(name)
    return table


def evaluation_tables(data: Figures) -> list[Table]:
    """Per respondent group and question: how many gave each answer, and a summary per question."""
    counts = data.by("eval.count")
    summary = Table(
        "utvarderingar",
        _("Besvarade utvärderingar"),
        [_("Vem svarade"), _("Fråga"), _("Antal svar"), _("Medelbetyg (1–5)"), _("Andel ja (procent)")],
        chart_column=None,
    )
    tables = []
    ratings, choices = data.by("eval.rating"), data.by("eval.choice")
    questions = _latest_questions()
    for respondent, label in Respondent.choices:
        respondent_label = str(label)
        summary.add(respondent_label, _("Besvarade utvärderingar"), counts.get(respondent, 0), None, None)
        for key, text, kind in [(q.key, q.text, q.kind) for q in questions if q.question_set.respondent == respondent]:
            if kind == QuestionKind.RATING:
                by_value = {n: ratings.get(f"{respondent}|{key}|{n}", 0) for n in range(1, 6)}
                answered = sum(by_value.values())
                mean = (
                    (Decimal(sum(n * c for n, c in by_value.items())) / answered).quantize(Decimal("0.1")) if answered else None
                )
                summary.add(respondent_label, text, answered, mean, None, base=answered, derived=(3,))
                table = Table(f"utvardering-{respondent}-{key}", f"{text} ({respondent_label.lower()})", [_("Betyg"), _("Svar")])
                for n in range(5, 0, -1):
                    table.add(str(n), by_value[n])
            elif kind == QuestionKind.YES_NO:
                yes, no = choices.get(f"{respondent}|{key}|yes", 0), choices.get(f"{respondent}|{key}|no", 0)
                summary.add(respondent_label, text, yes + no, None, percent(yes, yes + no), base=yes + no, derived=(4,))
                table = Table(f"utvardering-{respondent}-{key}", f"{text} ({respondent_label.lower()})", [_("Svar"), _("Antal")])
                table.add(_("Ja"), yes)
                table.add(_("Nej"), no)
            else:
                continue
            tables.append(table)
    return [summary, *tables]


def _latest_questions() -> list[Question]:
    """The questions of the newest published version per group (keys are stable across versions)."""
    questions = Question.objects.filter(question_set__published_at__isnull=False).select_related("question_set")
    newest: dict[tuple[str, str], Question] = {}
    for question in questions.order_by("question_set__version", "order", "pk"):
        newest[(question.question_set.respondent, question.key)] = question
    return sorted(newest.values(), key=lambda q: (q.question_set.respondent, q.order, q.pk))


def _area_names() -> list[tuple[int, str]]:
    return list(ExperienceArea.objects.order_by("position", "name").values_list("pk", "name"))


@dataclass
class Section:
    slug: str
    title: str
    tables: list[Table]
    note: str = ""


def fee_section(period: Period, scope: Scope) -> Section:
    return Section(
        "arvoden",
        _("Arvoden och ersättningar"),
        fee_tables(period, scope),
        _("Alla ersättningsrader med datum i perioden, attesterade eller inte; rättelser är räknade. Belopp i kronor."),
    )


def coordinator_sections(period: Period, scope: Scope, data: Figures | None = None) -> list[Section]:
    data = data or load(period, scope)
    return [
        Section("banken", _("Banken"), bank_tables(data, period), _("Banken gäller hela regionen, oavsett vald verksamhet.")),
        Section("forfragningar", _("Förfrågningar"), request_tables(data)),
        Section("insatser", _("Insatser och timmar"), [*contribution_tables(data), spread_table(data)]),
        Section("tackning", _("Efterfrågan och täckning"), [coverage_table(data)]),
        Section("utvarderingar", _("Utvärderingar"), evaluation_tables(data)),
        fee_section(period, scope),
    ]


def finance_sections(period: Period, scope: Scope, data: Figures | None = None) -> list[Section]:
    """Totals and fees only: nothing about health, areas, age or where people live."""
    data = data or load(period, scope)
    totals = Table("totaler", _("Totaler"), [_("Vad"), _("Värde")], chart_column=None)
    totals.add(_("Inkomna förfrågningar"), data.total("req.total"))
    totals.add(_("Insatser"), data.total("ins.total"))
    hours = (Decimal(data.total("ins.hours100")) / 100).quantize(Decimal("0.1"))
    totals.add(_("Timmar"), hours, base=data.total("ins.total"), derived=(0,))
    return [Section("totaler", _("Totaler"), [totals]), fee_section(period, scope)]


__all__ = ["Period", "Scope", "coordinator_sections", "finance_sections", "load", "shown"]
