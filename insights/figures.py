"""Counting: the one definition of every figure, used by the beat refresh and by the live count.

Each collector reads the source tables and yields rows (group, month, metric, key, value):
`group` is the care unit's organisation (the refresh stores one scope per organisation and sums
them for the region); `month` is the first day of the month the row belongs to, or None for a
snapshot of now. A single unit is small, so its figures are counted live by the same collectors
over querysets narrowed to it (`unit=`) and to the period (`start`/`end`).
"""

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import CharField, Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assignments.enums import AssignmentStatus, SessionOutcome
from assignments.models import Assignment, Session
from evaluations.models import Answer, Evaluation
from insights.models import Figure, Refresh
from matching.enums import InquiryStatus
from matching.models import Inquiry
from registry.enums import EventKind, ResourceStatus
from registry.models import Event, ExperienceResource
from requests_app.enums import RequestStatus
from requests_app.models import CareUnit, UnitRequest

Row = tuple[str, date | None, str, str, int]

# People counted as "in the bank" for its profile: accepted and not gone.
IN_BANK = (ResourceStatus.ACTIVE, ResourceStatus.PAUSED)
# Accepted into the bank at some point (so "joined" counts them, not applications turned down).
ACCEPTED = (ResourceStatus.ACTIVE, ResourceStatus.PAUSED, ResourceStatus.LEFT)
# Sessions that did not take place add no hours (held_hours is for those that did).
NOT_HELD = (SessionOutcome.LATE_CANCELLED, SessionOutcome.CANCELLED_IN_TIME, SessionOutcome.NO_SHOW)


@dataclass(frozen=True)
class Window:
    """What to count: a unit (or all), and a half-open range of local dates (or all time)."""

    unit: CareUnit | None = None
    start: date | None = None
    end: date | None = None  # exclusive

    def range(self, field: str) -> Q:
        q = Q()
        tz = timezone.get_current_timezone()
        if self.start:
            q &= Q(**{f"{field}__gte": datetime.combine(self.start, time.min, tzinfo=tz)})
        if self.end:
            q &= Q(**{f"{field}__lt": datetime.combine(self.end, time.min, tzinfo=tz)})
        return q

    def date_range(self, field: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lt": self.end})
        return q


def _month(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def submitted_requests(window: Window):
    qs = UnitRequest.objects.exclude(status=RequestStatus.DRAFT).filter(submitted_at__isnull=False)
    if window.unit:
        qs = qs.filter(unit=window.unit)
    return qs.filter(window.range("submitted_at"))


def done_assignments(window: Window):
    qs = Assignment.objects.filter(status=AssignmentStatus.DONE, done_at__isnull=False)
    if window.unit:
        qs = qs.filter(request__unit=window.unit)
    return qs.filter(window.range("done_at"))


def matched_at():
    """When the request was matched: the first of its inquiries the coordinator chose."""
    chosen = Inquiry.objects.filter(request=OuterRef("pk"), status=InquiryStatus.CHOSEN).order_by().values("request")
    return Subquery(chosen.annotate(first=Min("closed_at")).values("first")[:1])


def _grouped(qs, org: str | None, month_field: str, metric: str, key: str | None, value=None) -> Iterator[Row]:
    fields = ["g", "m"] + (["k"] if key else [])
    annotations = {"g": F(org) if org else Value("", output_field=CharField()), "m": TruncMonth(month_field)}
    if key:
        annotations["k"] = F(key)
    rows = qs.annotate(**annotations).values(*fields).annotate(v=value or Count("pk", distinct=True)).order_by()
    for row in rows:
        yield row["g"], _month(row["m"]), metric, "" if not key else str(row["k"] if row["k"] is not None else ""), row["v"]


def collect_requests(window: Window) -> Iterator[Row]:
    qs = submitted_requests(window)
    org = "unit__organisation"
    yield from _grouped(qs, org, "submitted_at", "req.total", None)
    yield from _grouped(qs, org, "submitted_at", "req.kind", "kind")
    yield from _grouped(qs, org, "submitted_at", "req.outcome", "status")
    yield from _grouped(qs, org, "submitted_at", "req.unit", "unit_id")
    yield from _grouped(qs, org, "submitted_at", "req.area", "areas__id")
    # Matched: counted in the month the request came in, so the share is of that month's requests.
    pairs = qs.annotate(matched=matched_at()).filter(matched__isnull=False).values_list(org, "submitted_at", "matched")
    days: Counter = Counter()
    for group, submitted, matched in pairs.iterator(chunk_size=5000):
        month = _month(submitted)
        days[(group, month, "req.matched", "")] += 1
        days[(group, month, "req.match_days", str(max(0, (matched - submitted).days)))] += 1
    for (group, month, metric, key), value in days.items():
        yield group, month, metric, key, value


def collect_contributions(window: Window) -> Iterator[Row]:
    """Insatser: one per person and completed assignment (an assignment is one person's), and the hours held."""
    org = "request__unit__organisation"
    yield from _grouped(done_assignments(window), org, "done_at", "ins.total", None)
    yield from _grouped(done_assignments(window), org, "done_at", "ins.kind", "request__kind")
    sessions = Session.objects.filter(assignment__in=done_assignments(window).values("pk")).exclude(outcome__in=NOT_HELD)
    other = Q(outcome=SessionOutcome.OTHER_LENGTH, actual_hours__isnull=False)
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    org = "assignment__request__unit__organisation"
    planned = sessions.exclude(other).annotate(g=F(org), m=TruncMonth("assignment__done_at"))
    for row in planned.values("g", "m").annotate(v=Sum(length)).order_by():
        # hundredths of an hour, so the sum stays an exact integer
        yield row["g"], _month(row["m"]), "ins.hours100", "", round(row["v"].total_seconds() / 36)
    actual = sessions.filter(other).annotate(g=F(org), m=TruncMonth("assignment__done_at"))
    for row in actual.values("g", "m").annotate(v=Sum("actual_hours")).order_by():
        yield row["g"], _month(row["m"]), "ins.hours100", "", int(row["v"] * 100)


def collect_bank(window: Window) -> Iterator[Row]:
    """The bank belongs to the region, not to a unit: counted for the region scope only."""
    people = ExperienceResource.objects.all()
    for row in people.values("status").annotate(v=Count("pk")).order_by():
        yield "", None, "bank.status", row["status"], row["v"]
    in_bank = people.filter(status__in=IN_BANK)
    for field, metric in (
        ("perspectives__code", "bank.perspective"),
        ("areas__id", "bank.area"),
        ("birth_year", "bank.birth_year"),
        ("municipality", "bank.municipality"),
    ):
        for row in in_bank.values(field).annotate(v=Count("pk", distinct=True)).order_by():
            key = row[field]
            yield "", None, metric, "" if key is None else str(key), row["v"]
    active = people.filter(status=ResourceStatus.ACTIVE)
    yield "", None, "bank.active", "", active.count()
    for row in active.filter(areas__isnull=False).values("areas__id").annotate(v=Count("pk", distinct=True)).order_by():
        yield "", None, "bank.active_area", str(row["areas__id"]), row["v"]
    joined = people.filter(status__in=ACCEPTED).filter(window.range("created_at"))
    yield from _grouped(joined, None, "created_at", "bank.joined", None, Count("pk"))
    left = people.filter(left_at__isnull=False).filter(window.range("left_at"))
    yield from _grouped(left, None, "left_at", "bank.left", None, Count("pk"))
    trainings = Event.objects.filter(kind=EventKind.TRAINING, cancelled_at__isnull=True).filter(window.range("starts_at"))
    yield from _grouped(trainings, None, "starts_at", "bank.trainings", None, Count("pk"))
    trained = people.filter(training_completed_on__isnull=False).filter(window.date_range("training_completed_on"))
    yield from _grouped(trained, None, "training_completed_on", "bank.trained", None, Count("pk"))


def _counts_of_counts(qs) -> Counter:
    """{n: how many people had n} for a queryset grouped per person, counted in the database."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.c, COUNT(*) FROM ({sql}) t GROUP BY t.c", params)  # noqa: S608 - Django's own SQL
        return Counter(dict(cursor.fetchall()))


def spread_counts(window: Window) -> dict[str, Counter]:
    """How insatser and inquiries in the window spread over the people active now."""
    active = Q(resource__status=ResourceStatus.ACTIVE)
    ins = done_assignments(Window(start=window.start, end=window.end)).filter(active)
    asked = Inquiry.objects.filter(active).filter(window.range("sent_at"))
    return {
        "spread.ins": _counts_of_counts(ins.values("resource").annotate(c=Count("pk")).values("c").order_by()),
        "spread.asked": _counts_of_counts(asked.values("resource").annotate(c=Count("pk")).values("c").order_by()),
    }


def submitted_evaluations(window: Window):
    qs = Evaluation.objects.filter(submitted_at__isnull=False)
    if window.unit:
        qs = qs.filter(assignment__request__unit=window.unit)
    return qs.filter(window.range("submitted_at"))


def collect_evaluations(window: Window) -> Iterator[Row]:
    """Answered evaluations per respondent group, and each rating and yes/no per question key
    (the key is stable across versions of the questions)."""
    evaluations = submitted_evaluations(window)
    yield from _grouped(evaluations, "assignment__request__unit__organisation", "submitted_at", "eval.count", "respondent")
    answers = Answer.objects.filter(evaluation__in=evaluations.values("pk"))
    org = "evaluation__assignment__request__unit__organisation"
    month = TruncMonth("evaluation__submitted_at")
    for field, metric in (("rating", "eval.rating"), ("choice", "eval.choice")):
        rows = (
            answers.filter(**{f"{field}__isnull": False})
            .annotate(g=F(org), m=month, r=F("evaluation__respondent"), q=F("question__key"), a=F(field))
            .values("g", "m", "r", "q", "a")
            .annotate(v=Count("pk"))
            .order_by()
        )
        for row in rows:
            answer = row["a"] if field == "rating" else ("yes" if row["a"] else "no")
            yield row["g"], _month(row["m"]), metric, f"{row['r']}|{row['q']}|{answer}", row["v"]


COLLECTORS = [collect_requests, collect_contributions, collect_evaluations]


def collect(window: Window) -> Iterator[Row]:
    for collector in COLLECTORS:
        yield from collector(window)


def _years() -> list[int]:
    first = Assignment.objects.filter(status=AssignmentStatus.DONE).aggregate(m=Min("done_at"))["m"]
    first_inquiry = Inquiry.objects.aggregate(m=Min("sent_at"))["m"]
    starts = [timezone.localtime(v).year for v in (first, first_inquiry) if v]
    if not starts:
        return []
    return list(range(min(starts), timezone.localdate().year + 1))


# Kept for the region only: a unit is in one organisation, so an organisation's "per unit" table
# reads the region's rows for its units, and the biggest metric is not stored twice.
REGION_ONLY = frozenset({"req.unit"})

FigureRow = tuple[str, str, date | None, str, str, int]


def build_rows() -> Iterator[FigureRow]:
    """Every stored figure, counted afresh: per organisation and summed for the region."""
    month, year, snapshot = Figure.Granularity.MONTH.value, Figure.Granularity.YEAR.value, Figure.Granularity.SNAPSHOT.value
    region: dict[tuple, int] = defaultdict(int)
    for group, when, metric, key, value in collect(Window()):
        region[(when, metric, key)] += value
        if metric not in REGION_ONLY:
            yield f"org:{group}", month, when, metric, key, value
    for (when, metric, key), value in region.items():
        yield "", month, when, metric, key, value
    for _group, when, metric, key, value in collect_bank(Window()):
        yield "", snapshot if when is None else month, when, metric, key, value
    for y in _years():
        counts = spread_counts(Window(start=date(y, 1, 1), end=date(y + 1, 1, 1)))
        for metric, counter in counts.items():
            for n, people in counter.items():
                yield "", year, date(y, 1, 1), metric, str(n), people


COLUMNS = ("scope", "granularity", "month", "metric", "key", "value")


def _write(rows: Iterable[FigureRow]) -> int:
    """COPY on PostgreSQL (a million rows in seconds); bulk inserts elsewhere.

    The rows are counted by queries on the same connection, which cannot run while a COPY is
    open, so they are first written to a compact in-memory buffer (about 40 bytes a row).
    """
    count = 0
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
        for scope, granularity, month, metric, key, value in rows:
            writer.writerow([scope, granularity, month.isoformat() if month else "\\N", metric, key, value])
            count += 1
        buffer.seek(0)
        sql = f"COPY {Figure._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\t', NULL '\\N')"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        return count
    batch = []
    for row in rows:
        batch.append(Figure(**dict(zip(COLUMNS, row, strict=True))))
        if len(batch) == 5000:
            count += len(Figure.objects.bulk_create(batch))
            batch = []
    return count + len(Figure.objects.bulk_create(batch))


def refresh() -> Refresh:
    """Count everything again and swap it in at once: readers see the old figures until the commit."""
    started = timezone.now()
    with transaction.atomic():
        Figure.objects.all().delete()
        rows = _write(build_rows())
        Refresh.objects.all().delete()
        state = Refresh.objects.create(finished_at=timezone.now(), seconds=(timezone.now() - started).total_seconds(), rows=rows)
    return state


def month_range(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current < end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months
