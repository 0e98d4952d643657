"""The shortlist: hard rules, then a weighted score, and the words that explain it.

Everything the score uses is decided here once. `Wish` turns a request into plain values;
`eligible()` is the hard rules as one queryset filter; `annotate_components()` adds each
criterion's value (0-1) and the score as SQL, so 50,000 people are ranked by the database
in one query; `score_from()` and `explain()` compute the same numbers and words in Python
from those values, so the explanation can never disagree with the ranking (a property test
holds them together).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Greatest, Lower, StrIndex
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.rows import linked_ids
from matching.enums import COMMITTED
from matching.keep import IN_PLAY, MASK_BITS, NEWEST
from matching.models import Conflict, FairnessCount, Inquiry, MatchingWeights, MonthAtLimit, ShortlistRow
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ContributionType, ExperienceArea, ExperienceResource, Perspective
from registry.selectors import taxonomy_labels
from requests_app.enums import AgeGroup, Format, WorkKind
from requests_app.models import UnitRequest

CRITERIA = ("areas", "perspective", "kind", "language", "place", "age", "recency", "frequency")

# Fairness: days since the person was last asked or used -> value (first step that fits).
RECENCY_STEPS = ((365, 1.0), (180, 0.75), (90, 0.5), (30, 0.25))
# Fairness: asked at most this many times in the last 12 months -> value.
FREQUENCY_STEPS = ((0, 1.0), (1, 0.6), (3, 0.3))
ON_SITE_ELSEWHERE = 0.5  # can come, but lives in another municipality

AGE_BANDS = {  # the request's age group -> (youngest, oldest) age of the person
    AgeGroup.CHILDREN: (0, 17),
    AgeGroup.YOUNG_ADULTS: (18, 29),
    AgeGroup.ADULTS: (30, 64),
    AgeGroup.ELDERLY: (65, 130),
}

# Which ways of contributing (registry taxonomy slugs) fit each kind of work.
KIND_CONTRIBUTIONS = {
    WorkKind.IMPROVEMENT: ["delta-i-ett-forbattringsteam", "beratta-min-historia-for-personal", "allmant-patientperspektiv"],
    WorkKind.RESEARCH: ["representant-i-forskningsprojekt"],
    WorkKind.EDUCATION: ["undervisning-i-vardutbildning", "beratta-min-historia-for-personal"],
    WorkKind.WORKSHOP: ["workshop-seminarium-eller-konferens"],
    WorkKind.FOCUS_GROUP: ["fokusgrupp-eller-intervju"],
    WorkKind.MANAGEMENT: ["lednings-process-eller-projektgrupp"],
    WorkKind.INFORMATION: ["ta-fram-informationsmaterial"],
    WorkKind.DIGITAL_TOOL: ["utveckla-vardtjanster-eller-digitala-verktyg"],
    WorkKind.JURY: ["jury-for-kvalitetspris"],
    WorkKind.OTHER: ["allmant-patientperspektiv"],
}


@dataclass(frozen=True)
class Wish:
    """What a request asks for, in the terms the score uses."""

    request_id: int | None
    unit_id: int
    area_ids: tuple[int, ...] = ()
    perspective_ids: tuple[int, ...] = ()
    contribution_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()
    format: str = ""
    location: str = ""
    birth_years: tuple[int, int] | None = None  # (earliest, latest)
    dates: tuple[date, date] | None = None
    month: tuple[date, date] = field(default=(date.min, date.max))
    now: datetime = field(default_factory=timezone.now)
    kind_label: str = ""
    area_names: dict[int, str] = field(default_factory=dict)
    perspective_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, unit_request: UnitRequest, *, now: datetime | None = None) -> Wish:
        now = now or timezone.now()
        today = timezone.localdate(now)
        area_names, perspective_names, contribution_ids = _wished(unit_request)
        start = unit_request.starts_on
        end = unit_request.ends_on or start
        birth_years = None
        if unit_request.age_group in AGE_BANDS:
            youngest, oldest = AGE_BANDS[unit_request.age_group]
            birth_years = (today.year - oldest, today.year - youngest)
        return cls(
            request_id=unit_request.pk,
            unit_id=unit_request.unit_id,
            area_ids=tuple(area_names),
            perspective_ids=tuple(perspective_names),
            contribution_ids=contribution_ids,
            languages=split_languages(unit_request.languages),
            format=unit_request.format,
            location=unit_request.location.lower(),
            birth_years=birth_years,
            dates=(start, end) if start else None,
            month=month_of(start or today),
            now=now,
            kind_label=unit_request.kind_label.lower() if unit_request.kind else "",
            area_names=area_names,
            perspective_names={pk: name.lower() for pk, name in perspective_names.items()},
        )

    def applicable(self) -> dict[str, bool]:
        """Criteria that say something for this request; the others are left out of the score."""
        return {
            "areas": bool(self.area_ids),
            "perspective": bool(self.perspective_ids),
            "kind": bool(self.contribution_ids),
            "language": bool(self.languages),
            "place": bool(self.format),
            "age": self.birth_years is not None,
            "recency": True,
            "frequency": True,
        }


def _wished(unit_request: UnitRequest) -> tuple[dict[int, str], dict[int, str], tuple[int, ...]]:
    """The request's experience areas and perspectives ({id: name in the language of the page},
    in the taxonomies' order) and the ways of contributing that fit its kind: the ids in one
    query, the names from the kept taxonomies (registry.selectors.taxonomy_labels)."""
    slugs = KIND_CONTRIBUTIONS.get(unit_request.kind, [])
    links = [
        UnitRequest.areas.through.objects.filter(unitrequest_id=unit_request.pk).values_list(Value(0), "experiencearea_id"),
        UnitRequest.perspectives.through.objects.filter(unitrequest_id=unit_request.pk).values_list(Value(1), "perspective_id"),
        ContributionType.objects.filter(slug__in=slugs).values_list(Value(2), "pk"),
    ]
    wished = ([], [], [])
    for n, pk in links[0].order_by().union(*(part.order_by() for part in links[1:]), all=True):
        wished[n].append(pk)
    labels = taxonomy_labels()
    named = []
    for kind, model, ids in (("area", ExperienceArea, wished[0]), ("perspective", Perspective, wished[1])):
        order = {pk: (n, label) for n, (pk, label) in enumerate(labels[kind])}
        if not order.keys() >= set(ids):  # kept before one of them was made (a write without save())
            order = {other.pk: (n, str(other)) for n, other in enumerate(model.objects.all())}
        named.append({pk: order[pk][1] for pk in sorted(ids, key=lambda pk: order[pk][0])})
    return named[0], named[1], tuple(sorted(wished[2]))


def split_languages(text: str) -> tuple[str, ...]:
    words = (w.strip().lower() for w in text.replace(" och ", ",").replace(";", ",").split(","))
    return tuple(sorted({w for w in words if w and w != "svenska"}))


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def require_training() -> bool:
    return settings.REGISTRY_REQUIRE_TRAINING


# --- hard rules --------------------------------------------------------------------------


def _limit_reached(wish: Wish) -> Q:
    """People whose own limit for the wanted month is already reached (yes-answers and choices
    count), found from the month's few committed inquiries (a limit of 0 is reached without
    any) instead of counting every person's inquiries."""
    return Q(max_assignments_per_month=0) | Q(pk__in=_reached(wish))


def _reached(wish: Wish, among: list[int] | None = None) -> QuerySet:
    first, last = wish.month
    in_month = Q(request__starts_on__range=(first, last)) | Q(request__starts_on__isnull=True, sent_at__date__range=(first, last))
    inquiries = Inquiry.objects.filter(Q(status__in=COMMITTED) & in_month)
    if among is not None:  # only these people's: not the month's whole count, grouped, then picked from
        inquiries = inquiries.filter(resource_id__in=among)
    return (
        inquiries
        .values("resource_id", "resource__max_assignments_per_month")
        .annotate(committed=Count("pk"))
        .filter(committed__gte=F("resource__max_assignments_per_month"))
        .values_list("resource_id", flat=True)
    )


def in_play_count(wish: Wish) -> int:
    """How many rows are in play: counted once, then kept until a row changes (keep.IN_PLAY)."""
    return IN_PLAY.count(rows_in_play(wish), {"trained": require_training()})


def eligible(wish: Wish) -> QuerySet[ExperienceResource]:
    """Everyone the hard rules allow. These are never broken by the shortlist."""
    qs = ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE, erased_at__isnull=True)
    return _hard_rules(qs, wish, trained=Q(training_completed_on__isnull=False))


def rows_in_play(wish: Wish) -> QuerySet[ShortlistRow]:
    """The kept rows (the active, not erased) the rules on the row itself allow: trained when
    training is required, and a monthly limit other than 0. Read from the index
    shortlist_rows_in_play alone when counted."""
    qs = ShortlistRow.objects.exclude(max_assignments_per_month=0)
    return qs.filter(trained=True) if require_training() else qs


def _hard_rules(qs: QuerySet, wish: Wish, *, trained: Q) -> QuerySet:
    """The hard rules after the status, from the live tables."""
    if require_training():
        qs = qs.filter(trained)
    if wish.dates:
        start, end = wish.dates
        qs = qs.exclude(pk__in=AwayPeriod.objects.filter(starts_on__lte=end, ends_on__gte=start).values("resource_id"))
    if wish.request_id is not None:
        qs = qs.exclude(pk__in=Inquiry.objects.filter(request_id=wish.request_id).values("resource_id"))
    qs = qs.exclude(pk__in=Conflict.objects.filter(unit_id=wish.unit_id).values("resource_id"))
    return qs.exclude(_limit_reached(wish))


def broken_rules(people: list[ExperienceResource], wish: Wish) -> dict[int, list[str]]:
    """The hard rules each person breaks, in words: shown when a coordinator adds people by hand.

    Three queries for any number of people: who of them is away, has a conflict with the
    unit, or has reached their own monthly limit.
    """
    if not people:  # the shortlist page without a search: nothing to build
        return {}
    ids = [person.pk for person in people]
    away = set()
    if wish.dates:
        away = set(
            AwayPeriod.objects.filter(resource_id__in=ids, starts_on__lte=wish.dates[1], ends_on__gte=wish.dates[0]).values_list(
                "resource_id", flat=True
            )
        )
    conflicts = set(Conflict.objects.filter(resource_id__in=ids, unit_id=wish.unit_id).values_list("resource_id", flat=True))
    at_limit = {person.pk for person in people if person.max_assignments_per_month == 0}
    at_limit |= set(_reached(wish, among=ids))
    result = {}
    for person in people:
        broken = []
        if person.status != ResourceStatus.ACTIVE:
            broken.append(_("är inte aktiv (%(status)s)") % {"status": person.get_status_display().lower()})
        if require_training() and person.training_completed_on is None:
            broken.append(_("har inte gått introduktionsutbildningen"))
        if person.pk in away:
            broken.append(_("är borta de önskade datumen"))
        if person.pk in conflicts:
            broken.append(_("har jäv mot verksamheten"))
        if person.pk in at_limit:
            broken.append(_("har nått sin egen gräns för uppdrag den månaden"))
        result[person.pk] = broken
    return result


# --- the score ---------------------------------------------------------------------------


class FloatValue(Value):
    """A number the database computes with as a float: PostgreSQL reads a bare 1.0 as an exact
    numeric, and numeric arithmetic over the whole pool is what the ranking spends its time on."""

    def __init__(self, value):
        super().__init__(float(value), output_field=FloatField())

    def as_postgresql(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return f"({sql})::double precision", params


def _flag(condition) -> Case:
    return Case(When(condition, then=FloatValue(1.0)), default=FloatValue(0.0), output_field=FloatField())


class _Lower(Lower):
    """LOWER() that agrees with Python's str.lower() on Swedish names: SQLite's lower() changes
    only A-Z, so "Åtvidaberg" stayed "Åtvidaberg" there and never matched "åtvidaberg"."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        for letter in "ÅÄÖÉÜ":
            sql, params = f"REPLACE({sql}, %s, %s)", (*params, letter, letter.lower())
        return sql, params


def _older_than(wish: Wish, days: int) -> Q:
    cutoff = wish.now - timedelta(days=days)
    return (Q(last_asked__isnull=True) | Q(last_asked__lt=cutoff)) & (
        Q(last_assignment_on__isnull=True) | Q(last_assignment_on__lt=timezone.localdate(cutoff))
    )


class PerPerson(ExpressionWrapper):
    """A value of the person's own row (or of a subquery on it): one per person, never a GROUP BY key.

    The fairness facts are aggregates over the person's inquiries, so the ranking is grouped
    by the person; left alone, Django would also group by every criterion's CASE expression.
    """

    def get_group_by_cols(self):
        return []


def with_fairness_facts(qs: QuerySet, wish: Wish) -> QuerySet:
    """Adds last_asked (the latest inquiry's time) and asked_12m (inquiries in the 12 months
    before wish.now) to each person: what a GROUP BY over all their inquiries would give.

    The kept FairnessFacts (counted up to the watermark by services.refresh_fairness) are
    read as they are; only the inquiries after the watermark, and those counted that have
    since left the 12 months, are joined and counted, few whatever the history. Kept facts
    counted from later than a year before wish.now (or none at all) are not used: then every
    inquiry is after the watermark 0 and counted here.
    """
    year_ago = wish.now - timedelta(days=365)
    usable = FairnessCount.objects.filter(pk=1, counted_from__lte=year_ago)
    watermark = Coalesce(Subquery(usable.values("watermark")[:1]), Value(0))
    counted_from = Subquery(usable.values("counted_from")[:1])
    after = Q(changes__pk__gt=watermark)
    aged = Q(changes__pk__lte=watermark, changes__sent_at__gte=counted_from, changes__sent_at__lt=year_ago)
    qs = qs.annotate(
        changes=FilteredRelation(
            "inquiries",
            condition=Q(inquiries__pk__gt=watermark)
            | Q(inquiries__pk__lte=watermark, inquiries__sent_at__gte=counted_from, inquiries__sent_at__lt=year_ago),
        ),
        kept=FilteredRelation("fairness", condition=Q(Exists(usable))),
    ).annotate(
        kept_last=Max("kept__last_asked_at"),
        new_last=Max("changes__sent_at", filter=after),
        kept_count=Coalesce(Max("kept__asked_count"), Value(0)),
        new_count=Count("changes", filter=after & Q(changes__sent_at__gte=year_ago)),
        aged_count=Count("changes", filter=aged),
    )
    return qs.annotate(
        # GREATEST of one value and NULL is NULL on SQLite: each side falls back on the other.
        last_asked=Greatest(Coalesce("kept_last", "new_last"), Coalesce("new_last", "kept_last")),
        asked_12m=F("kept_count") + F("new_count") - F("aged_count"),
    )


def annotate_components(qs: QuerySet, wish: Wish, weights: MatchingWeights) -> QuerySet:
    """Adds c_<criterion> (0-1) for every criterion, the fairness facts, and `score` (0-100)."""
    through_areas = ExperienceResource.areas.through.objects
    through_persp = ExperienceResource.perspectives.through.objects
    through_kinds = ExperienceResource.contribution_types.through.objects
    # EXISTS, not IN: PostgreSQL hashes it when ranking the whole pool and looks it up by index
    # when the values are wanted for a page of people.
    mine = Q(experienceresource_id=OuterRef("pk"))
    qs = with_fairness_facts(qs, wish)
    return _annotate(
        qs,
        wish,
        weights,
        areas=[Exists(through_areas.filter(mine, experiencearea_id=a)) for a in wish.area_ids],
        perspective=Exists(through_persp.filter(mine, perspective_id__in=wish.perspective_ids)),
        kind=Exists(through_kinds.filter(mine, contributiontype_id__in=wish.contribution_ids)),
        frequency=[Q(asked_12m__lte=n) for n, _value in FREQUENCY_STEPS],
    )


class RowRanking:
    """The ranking of the kept rows (ShortlistRow) as one SQL statement, written here rather than
    built from expressions: Django took longer to build and compile the score's few hundred
    nodes (8-10 ms) than the database took to compute it for 7,000 rows. It computes what
    annotate_components() computes from the live tables, the same terms in the same order (the
    links are bits of the row's masks, and "asked at most n times in the year" is "the (n + 1)-th
    newest inquiry is missing or older than a year"); the property tests of the shortlist hold
    its list equal to the head of the live ranking (selectors.ranked), on SQLite and PostgreSQL.
    """

    def __init__(self, wish: Wish, weights: MatchingWeights, connection):
        self.wish, self.weights, self.connection = wish, weights, connection
        self.quote = connection.ops.quote_name
        self.factors = score_factors(wish, weights)

    def column(self, name: str) -> str:
        return f"R.{self.quote(name)}"

    def number(self, value: float) -> tuple[str, list]:
        # A float for the database too: PostgreSQL reads a bare 1.0 as an exact numeric.
        return "CAST(%s AS DOUBLE PRECISION)", [float(value)]

    def flag(self, condition: tuple[str, list]) -> tuple[str, list]:
        (one, one_p), (zero, zero_p) = self.number(1.0), self.number(0.0)
        return f"CASE WHEN {condition[0]} THEN {one} ELSE {zero} END", [*condition[1], *one_p, *zero_p]

    def steps(self, steps: list[tuple[tuple[str, list], float]]) -> tuple[str, list]:
        sql, params = [], []
        for (condition, condition_p), value in steps:
            number, number_p = self.number(value)
            sql.append(f"WHEN {condition} THEN {number}")
            params += [*condition_p, *number_p]
        zero, zero_p = self.number(0.0)
        return f"CASE {' '.join(sql)} ELSE {zero} END", [*params, *zero_p]

    def has(self, mask: str, pks: tuple[int, ...], relation: str) -> tuple[str, list]:
        """Any of these taxonomy ids among the person's: a bit of the mask, or (beyond the mask)
        a look-up in the link table."""
        field = ExperienceResource._meta.get_field(relation)
        table, column = self.quote(field.m2m_db_table()), self.quote(field.m2m_reverse_name())
        person = self.quote(field.m2m_column_name())
        sql, params = [], []
        for pk in pks:
            if 0 <= pk < MASK_BITS:
                sql.append(f"({self.column(mask)} & %s) > 0")
                params.append(1 << pk)
            else:
                mine = f"L.{person} = {self.column('resource_id')}"
                sql.append(f"EXISTS (SELECT 1 FROM {table} L WHERE {mine} AND L.{column} = %s)")  # noqa: S608 (names only)
                params.append(pk)
        return f"({' OR '.join(sql)})", params

    def missing_or_before(self, name: str, moment) -> tuple[str, list]:
        column = self.column(name)
        if isinstance(moment, datetime):
            value = self.connection.ops.adapt_datetimefield_value(moment)
        else:
            value = self.connection.ops.adapt_datefield_value(moment)
        return f"({column} IS NULL OR {column} < %s)", [value]

    def both(self, *conditions: tuple[str, list]) -> tuple[str, list]:
        return f"({' AND '.join(sql for sql, _p in conditions)})", [p for _sql, params in conditions for p in params]

    def components(self) -> dict[str, tuple[str, list]]:
        """Each criterion's value (0-1) as SQL, as _annotate() builds it."""
        wish, ops = self.wish, self.connection.ops
        zero = self.number(0.0)
        c = dict.fromkeys(CRITERIA, zero)
        if wish.area_ids:
            hits = [self.flag(self.has("areas", (pk,), "areas")) for pk in wish.area_ids]
            count, count_p = self.number(float(len(hits)))
            c["areas"] = (f"({' + '.join(sql for sql, _p in hits)}) / {count}", [p for _sql, ps in hits for p in ps] + count_p)
        if wish.perspective_ids:
            c["perspective"] = self.flag(self.has("perspectives", wish.perspective_ids, "perspectives"))
        if wish.contribution_ids:
            c["kind"] = self.flag(self.has("contributions", wish.contribution_ids, "contribution_types"))
        if wish.languages:
            # As Django's icontains writes it for this database.
            spoken = ops.lookup_cast("icontains", "CharField") % self.column("languages")
            pattern = self.connection.operators["icontains"] % "%s"
            words = [f"%{ops.prep_for_like_query(language)}%" for language in wish.languages]
            c["language"] = self.flag((f"({' OR '.join(f'{spoken} {pattern}' for _w in words)})", words))
        can_on_site, can_digital = self.column("can_on_site"), self.column("can_digital")
        if wish.format == Format.DIGITAL:
            c["place"] = self.flag((can_digital, []))
        else:
            near = (can_on_site, [])
            if wish.location:
                municipality = self.column("municipality")
                lowered, lowered_p = f"LOWER({municipality})", []
                if self.connection.vendor == "sqlite":  # as _Lower: SQLite's lower() changes only A-Z
                    for letter in "ÅÄÖÉÜ":
                        lowered, lowered_p = f"REPLACE({lowered}, %s, %s)", [*lowered_p, letter, letter.lower()]
                index = "INSTR" if self.connection.vendor == "sqlite" else "STRPOS"
                near = (
                    f"({can_on_site} AND {index}(%s, {lowered}) > 0 AND NOT {municipality} = %s)",
                    [wish.location, *lowered_p, ""],
                )
            if wish.format == Format.BOTH:
                near = (f"({near[0]} OR {can_digital})", near[1])
            c["place"] = self.steps([(near, 1.0), ((can_on_site, []), ON_SITE_ELSEWHERE)])
        if wish.birth_years:
            born = self.column("birth_year")
            c["age"] = self.flag((f"({born} >= %s AND {born} <= %s)", list(wish.birth_years)))
        recency = []
        for days, value in RECENCY_STEPS:
            cutoff = wish.now - timedelta(days=days)
            asked = self.missing_or_before("last_asked", cutoff)
            used = self.missing_or_before("last_assignment_on", timezone.localdate(cutoff))
            recency.append((self.both(asked, used), value))
        c["recency"] = self.steps(recency)
        year_ago = wish.now - timedelta(days=365)
        c["frequency"] = self.steps([(self.missing_or_before(NEWEST[n], year_ago), value) for n, value in FREQUENCY_STEPS])
        return c

    def score(self) -> tuple[str, list]:
        """The score (0-100) rounded to millionths as FLOOR(x + 0.5), as _annotate()."""
        c = self.components()
        terms, params = [], []
        for name, factor in self.factors.items():
            if factor:
                number, number_p = self.number(factor)
                terms.append(f"({c[name][0]}) * {number}")
                params += [*c[name][1], *number_p]
        if not terms:
            return self.number(0.0)
        (million, million_p), (half, half_p) = self.number(1e6), self.number(0.5)
        total = " + ".join(terms)
        return f"FLOOR(({total}) * {million} + {half}) / {million}", [*params, *million_p, *half_p, *million_p]

    def narrowing(self) -> tuple[tuple[str, list], float] | None:
        """A cheap condition on the row, and the highest score anyone who fails it can have.

        The condition is "has something of the heaviest criterion a bit mask or a flag of the
        row answers": one of the wished experience areas, a wished perspective, a fitting way of
        contributing, or (for place) being able to come at all. Whoever fails it scores 0 on that
        criterion, so at most the other criteria's points. When the best `limit` of those who
        pass all score more than that, they are the best of everyone, and only they need their
        score computed (selectors.shortlist). None when no criterion can be checked so.
        """
        wish, factors = self.wish, self.factors
        options = []
        for name, mask, pks in (
            ("areas", "areas", wish.area_ids),
            ("perspective", "perspectives", wish.perspective_ids),
            ("kind", "contributions", wish.contribution_ids),
        ):
            # A key beyond the mask is looked up in the link table: failing the mask says nothing then.
            if pks and all(0 <= pk < MASK_BITS for pk in pks):
                options.append((factors[name], (f"({self.column(mask)} & %s) > 0", [sum(1 << pk for pk in pks)])))
        can_on_site, can_digital = self.column("can_on_site"), self.column("can_digital")
        if wish.format == Format.DIGITAL:
            options.append((factors["place"], (can_digital, [])))
        elif wish.format == Format.BOTH:
            options.append((factors["place"], (f"({can_on_site} OR {can_digital})", [])))
        elif wish.format:
            options.append((factors["place"], (can_on_site, [])))
        if not options:
            return None
        points, condition = max(options, key=lambda option: option[0])
        return (condition, sum(factors.values()) - points) if points > 0 else None

    def ceiling(self) -> tuple[str, list]:
        """A cheap upper bound of each row's score: the criteria a bit mask or a flag of the row
        answers counted as the score counts them (a key beyond the mask as a hit), every other
        criterion as a full hit. A row whose bound is below the last of some `limit` rows' scores
        cannot be among the best `limit`, so its score need not be computed (selectors.shortlist)."""
        wish, factors = self.wish, self.factors
        fixed, parts, params = 0.0, [], []

        def when(condition: tuple[str, list], points: float) -> None:
            number, number_p = self.number(points)
            parts.append(f"CASE WHEN {condition[0]} THEN {number} ELSE CAST(0 AS DOUBLE PRECISION) END")
            params.extend([*condition[1], *number_p])

        # Each wished area is its share of the areas' points; a perspective and a way of
        # contributing are a hit of any of the wished ones.
        groups = [("areas", (pk,), factors["areas"] / len(wish.area_ids)) for pk in wish.area_ids]
        groups += [("perspectives", tuple(wish.perspective_ids), factors["perspective"])]
        groups += [("contributions", tuple(wish.contribution_ids), factors["kind"])]
        for mask, pks, points in groups:
            if not pks or not points:
                continue
            if all(0 <= pk < MASK_BITS for pk in pks):
                when((f"({self.column(mask)} & %s) > 0", [sum(1 << pk for pk in pks)]), points)
            else:
                fixed += points  # beyond the mask: looked up in the link table by the score
        can_on_site, can_digital = self.column("can_on_site"), self.column("can_digital")
        if factors["place"]:
            if wish.format == Format.DIGITAL:
                when((can_digital, []), factors["place"])
            elif wish.format == Format.BOTH:
                when((f"({can_on_site} OR {can_digital})", []), factors["place"])
            else:
                when((can_on_site, []), factors["place"])
        fixed += sum(factors[name] for name in ("language", "age", "recency", "frequency"))
        number, number_p = self.number(fixed)
        return " + ".join([number, *parts]), [*number_p, *params]

    def in_play(self) -> list[str]:
        """The conditions of rows_in_play() on the row R."""
        limit = self.column("max_assignments_per_month")
        return [f"({limit} IS NULL OR {limit} <> 0)", *([self.column("trained")] if require_training() else [])]

    def table(self, model) -> str:
        return self.quote(model._meta.db_table)

    def ruled_out(self) -> list[int]:
        """The people in play whom a hard rule on someone else's table rules out, in one query:
        at their own monthly limit in the wanted month (MonthAtLimit), a conflict of interest
        with the unit, away on the dates, or already asked for the request. Few, whatever the
        pool: the shortlist leaves them out of its ranking by id and counts the eligible as
        everyone in play less them. What scoring.eligible() rules out by the same rules."""
        wish, ops, quote = self.wish, self.connection.ops, self.quote
        person = quote("resource_id")
        named = [
            f"SELECT {person} FROM {self.table(MonthAtLimit)} WHERE {quote('month')} = %s",  # noqa: S608 (names only)
            f"SELECT {person} FROM {self.table(Conflict)} WHERE {quote('unit_id')} = %s",  # noqa: S608
        ]
        params = [ops.adapt_datefield_value(wish.month[0]), wish.unit_id]
        if wish.dates:
            starts, ends = quote("starts_on"), quote("ends_on")
            named.append(f"SELECT {person} FROM {self.table(AwayPeriod)} WHERE {starts} <= %s AND {ends} >= %s")  # noqa: S608
            params += [ops.adapt_datefield_value(wish.dates[1]), ops.adapt_datefield_value(wish.dates[0])]
        if wish.request_id is not None:
            named.append(f"SELECT {person} FROM {self.table(Inquiry)} WHERE {quote('request_id')} = %s")  # noqa: S608
            params.append(wish.request_id)
        sql = (
            f"SELECT {self.column('resource_id')} FROM {self.table(ShortlistRow)} R "  # noqa: S608 (names and placeholders only)
            f"WHERE {' AND '.join(self.in_play())} AND {self.column('resource_id')} IN ({' UNION '.join(named)})"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    def best(self, limit: int, condition: tuple[str, list] | None = None) -> list[tuple[int, float]]:
        """(id, score) of the best `limit` rows in play (rows_in_play) that pass `condition`:
        by score, then the longest since asked (never first), then the id."""
        where = self.in_play()
        params = []
        if condition is not None:
            where.append(condition[0])
            params += condition[1]
        score, score_p = self.score()
        last_asked = self.column("last_asked")
        sql = (
            f"SELECT {self.column('resource_id')}, {score} AS score FROM {self.table(ShortlistRow)} R "  # noqa: S608 (names and placeholders only)
            f"WHERE {' AND '.join(where)} "
            f"ORDER BY score DESC, {last_asked} IS NOT NULL, {last_asked}, {self.column('resource_id')} LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*score_p, *params, limit])
            return cursor.fetchall()


def _annotate(
    qs: QuerySet,
    wish: Wish,
    weights: MatchingWeights,
    *,
    areas: list,
    perspective,
    kind,
    frequency: list,
) -> QuerySet:
    """The criteria (c_<name>) and the score, given the conditions on the live tables: one per
    wished area, any wished perspective, any fitting way of contributing, and for each of
    FREQUENCY_STEPS "asked at most n times in the last year" (RowRanking writes the same for the
    kept rows)."""
    qs = qs.annotate(muni_at=StrIndex(Value(wish.location), _Lower("municipality")))
    c = {}
    if wish.area_ids:
        hits = [_flag(hit) for hit in areas]
        c["areas"] = sum(hits[1:], hits[0]) / FloatValue(float(len(hits)))
    else:
        c["areas"] = FloatValue(0.0)
    c["perspective"] = _flag(perspective) if wish.perspective_ids else FloatValue(0.0)
    c["kind"] = _flag(kind) if wish.contribution_ids else FloatValue(0.0)
    language_q = Q()
    for language in wish.languages:
        language_q |= Q(languages__icontains=language)
    c["language"] = _flag(language_q) if wish.languages else FloatValue(0.0)
    same_place = Q(muni_at__gt=0) & ~Q(municipality="")
    if wish.format == Format.DIGITAL:
        c["place"] = _flag(Q(can_digital=True))
    else:
        # With no place given there is nothing to be near: anyone who can come is as good.
        near = Q(can_on_site=True) & same_place if wish.location else Q(can_on_site=True)
        if wish.format == Format.BOTH:
            near |= Q(can_digital=True)
        c["place"] = Case(
            When(near, then=FloatValue(1.0)),
            When(can_on_site=True, then=FloatValue(ON_SITE_ELSEWHERE)),
            default=FloatValue(0.0),
            output_field=FloatField(),
        )
    if wish.birth_years:
        c["age"] = _flag(Q(birth_year__gte=wish.birth_years[0], birth_year__lte=wish.birth_years[1]))
    else:
        c["age"] = FloatValue(0.0)
    c["recency"] = Case(
        *[When(_older_than(wish, days), then=FloatValue(value)) for days, value in RECENCY_STEPS],
        default=FloatValue(0.0),
        output_field=FloatField(),
    )
    c["frequency"] = Case(
        *[When(at_most, then=FloatValue(value)) for at_most, (_n, value) in zip(frequency, FREQUENCY_STEPS, strict=True)],
        default=FloatValue(0.0),
        output_field=FloatField(),
    )
    factors = score_factors(wish, weights)
    qs = qs.annotate(**{f"c_{name}": PerPerson(expr, output_field=FloatField()) for name, expr in c.items()})
    terms = [F(f"c_{name}") * FloatValue(factor) for name, factor in factors.items() if factor]
    score = sum(terms[1:], terms[0]) if terms else FloatValue(0.0)
    # Float sums of equal scores can differ in the last bit: rounded to millionths, true ties
    # stay tied, so fairness (then the id) decides between them. FLOOR(x + 0.5), not ROUND:
    # SQLite's ROUND takes a half away from zero, PostgreSQL's to even, and score_from must
    # agree with both.
    score = Floor(score * FloatValue(1e6) + FloatValue(0.5)) / FloatValue(1e6)
    return qs.annotate(score=PerPerson(score, output_field=FloatField()))


def score_factors(wish: Wish, weights: MatchingWeights) -> dict[str, float]:
    """How many points (of 100) a full hit on each criterion gives, for this request."""
    applicable = wish.applicable()
    total = sum(getattr(weights, name) for name in CRITERIA if applicable[name])
    if not total:
        return dict.fromkeys(CRITERIA, 0.0)
    return {name: (100.0 * getattr(weights, name) / total if applicable[name] else 0.0) for name in CRITERIA}


def score_from(components: dict[str, float], wish: Wish, weights: MatchingWeights) -> float:
    factors = score_factors(wish, weights)
    # Rounded to millionths as the SQL score is (see annotate_components).
    return math.floor(sum(components[name] * factors[name] for name in CRITERIA) * 1e6 + 0.5) / 1e6


# --- the same values in Python, for one person (a page of the shortlist, and tests) ---------


LINKED = ("areas", "perspectives", "contribution_types")


def links_of(resource: ExperienceResource) -> dict[str, set[int]]:
    """The ids of the person's experience areas, perspectives and ways of contributing, from
    their (prefetched) relations."""
    return {name: {other.pk for other in getattr(resource, name).all()} for name in LINKED}


def links_of_people(ids: list[int]) -> dict[int, dict[str, set[int]]]:
    """links_of() for many people in one query of the three link tables' ids (config.rows.linked_ids):
    no model instance (or related manager) for each link."""
    found = linked_ids(ExperienceResource, LINKED, ids)
    links = {pk: {name: set(found[name].get(pk, ())) for name in LINKED} for pk in ids}
    return links


def components_of(
    resource: ExperienceResource, last_asked: datetime | None, asked_12m: int, wish: Wish, links: dict | None = None
) -> dict[str, float]:
    """Each criterion's value (0-1) for one person, from their live record and links (links_of(),
    or the relations prefetched) and fairness facts: what annotate_components() computes in SQL,
    without building that query for a page of 25 people. The property tests of the shortlist
    hold the two equal, person by person."""
    links = links or links_of(resource)
    c = dict.fromkeys(CRITERIA, 0.0)
    if wish.area_ids:
        c["areas"] = sum(1.0 for pk in wish.area_ids if pk in links["areas"]) / float(len(wish.area_ids))
    if wish.perspective_ids and not links["perspectives"].isdisjoint(wish.perspective_ids):
        c["perspective"] = 1.0
    if wish.contribution_ids and not links["contribution_types"].isdisjoint(wish.contribution_ids):
        c["kind"] = 1.0
    spoken = resource.languages.lower()
    if any(language in spoken for language in wish.languages):
        c["language"] = 1.0
    if wish.format == Format.DIGITAL:
        c["place"] = 1.0 if resource.can_digital else 0.0
    else:  # as in SQL, worked out (and left out of the score) when no format is asked for too
        same_place = bool(resource.municipality) and resource.municipality.lower() in wish.location
        near = resource.can_on_site and (same_place or not wish.location)
        if near or (wish.format == Format.BOTH and resource.can_digital):
            c["place"] = 1.0
        elif resource.can_on_site:
            c["place"] = ON_SITE_ELSEWHERE
    if wish.birth_years and resource.birth_year is not None:
        c["age"] = 1.0 if wish.birth_years[0] <= resource.birth_year <= wish.birth_years[1] else 0.0
    c["recency"] = recency_value(last_asked, resource.last_assignment_on, wish)
    c["frequency"] = frequency_value(asked_12m)
    return c


def recency_value(last_asked: datetime | None, last_assignment_on: date | None, wish: Wish) -> float:
    for days, value in RECENCY_STEPS:
        cutoff = wish.now - timedelta(days=days)
        asked_ok = last_asked is None or last_asked < cutoff
        used_ok = last_assignment_on is None or last_assignment_on < timezone.localdate(cutoff)
        if asked_ok and used_ok:
            return value
    return 0.0


def frequency_value(asked_12m: int) -> float:
    for n, value in FREQUENCY_STEPS:
        if asked_12m <= n:
            return value
    return 0.0


# --- words ------------------------------------------------------------------------------


def _months_or_days(days: int) -> str:
    if days >= 60:
        months = days // 30
        return ngettext("%(n)d månad", "%(n)d månader", months) % {"n": months}
    return ngettext("%(n)d dag", "%(n)d dagar", days) % {"n": days}


def _names(names: list[str], *, either: bool = False) -> str:
    """ "a, b och c", or with `either` "a, b eller c"."""
    if len(names) <= 1:
        return "".join(names)
    parts = {"first": ", ".join(names[:-1]), "last": names[-1]}
    return (_("%(first)s eller %(last)s") if either else _("%(first)s och %(last)s")) % parts


@dataclass
class Explanation:
    good: list[str]
    lacking: list[str]

    @property
    def text(self) -> str:
        return " · ".join(self.good)


def explain(
    resource: ExperienceResource, components: dict[str, float], facts: dict, wish: Wish, links: dict | None = None
) -> Explanation:
    """Why the person is on the list, and what they lack, from the values the score used.

    `links` are the person's links_of() (by default read from the relations, best prefetched);
    `facts` holds last_asked and asked_12m.
    """
    links = links or links_of(resource)
    good, lacking = [], []
    wanted = []
    if wish.area_ids:
        own = links["areas"]
        common = [wish.area_names[pk] for pk in wish.area_ids if pk in own]
        missing = [wish.area_names[pk] for pk in wish.area_ids if pk not in own]
        wanted += common
        if missing:
            lacking.append(_("saknar erfarenhet av %(areas)s") % {"areas": _names(missing).lower()})
    if wish.perspective_ids:
        own = links["perspectives"]
        names = [wish.perspective_names[pk] for pk in wish.perspective_ids if pk in own]
        wanted += names
        if components["perspective"] == 0:
            lacking.append(
                _("inte %(perspective)s") % {"perspective": _names(list(wish.perspective_names.values()), either=True)}
            )
    if wanted:
        good.append(_("%(things)s som önskat") % {"things": _names(wanted)})
    if wish.contribution_ids:
        if components["kind"]:
            good.append(_("vill medverka i %(kind)s") % {"kind": wish.kind_label})
        else:
            lacking.append(_("har inte sagt att hen vill medverka i %(kind)s") % {"kind": wish.kind_label})
    if wish.languages:
        if components["language"]:
            spoken = [lang for lang in wish.languages if lang in resource.languages.lower()]
            good.append(_("talar %(languages)s") % {"languages": _names(spoken)})
        else:
            lacking.append(_("har inte angett %(languages)s") % {"languages": _names(list(wish.languages), either=True)})
    if wish.format:
        place = components["place"]
        if wish.format == Format.DIGITAL:
            (good if place else lacking).append(_("digitalt går bra") if place else _("vill inte vara med digitalt"))
        elif place == 1.0:
            if wish.format == Format.BOTH and resource.can_digital:
                good.append(_("digitalt går bra"))
            elif wish.location:
                good.append(_("bor i %(municipality)s") % {"municipality": resource.municipality})
            else:
                good.append(_("kan vara med på plats"))
        elif place == ON_SITE_ELSEWHERE:
            lacking.append(_("bor inte på orten"))
        else:
            lacking.append(_("kan inte vara med på plats"))
    if wish.birth_years:
        (good if components["age"] else lacking).append(
            _("i önskad åldersgrupp") if components["age"] else _("inte i önskad åldersgrupp")
        )
    last = _last_contact(facts.get("last_asked"), resource.last_assignment_on, wish)
    if last is None:
        good.append(_("aldrig tillfrågad"))
    elif components["recency"] > 0:
        good.append(_("inte tillfrågad på %(time)s") % {"time": _months_or_days(last)})
    elif last == 0:
        lacking.append(_("tillfrågad i dag"))
    else:
        lacking.append(_("tillfrågad för %(time)s sedan") % {"time": _months_or_days(last)})
    asked = facts.get("asked_12m") or 0
    if asked > FREQUENCY_STEPS[-1][0]:
        lacking.append(
            ngettext("tillfrågad %(n)d gång senaste året", "tillfrågad %(n)d gånger senaste året", asked) % {"n": asked}
        )
    return Explanation(good=good, lacking=lacking)


def _last_contact(last_asked: datetime | None, last_assignment_on: date | None, wish: Wish) -> int | None:
    """Days since the person was last asked or used, or None if never."""
    days = []
    if last_asked is not None:
        days.append((wish.now - last_asked).days)
    if last_assignment_on is not None:
        days.append((timezone.localdate(wish.now) - last_assignment_on).days)
    return min(days) if days else None
