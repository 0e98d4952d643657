"""Reads for matching: the shortlist, a request's inquiries, a person's inquiries, the spread."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from matching.enums import InquiryStatus
from matching.models import Inquiry, MatchingWeights
from matching.scoring import (
    CRITERIA,
    Explanation,
    RowRanking,
    Wish,
    annotate_components,
    components_of,
    eligible,
    explain,
    in_play_count,
    links_of_people,
    score_from,
)
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app.models import UnitRequest

SHORTLIST_PAGE = 25
# What the shortlist's page, components_of() and explain() read of a candidate, and what sending
# them an inquiry does (the name of someone who can no longer be asked).
PAGE_FIELDS = (
    "first_name",
    "last_name",
    "status",
    "languages",
    "municipality",
    "can_on_site",
    "can_digital",
    "birth_year",
    "last_assignment_on",
    "training_completed_on",
)
# Scores are rounded to millionths: "more than the ceiling" is asked with this much to spare.
NARROWING_MARGIN = 1e-5


@dataclass
class Candidate:
    resource: ExperienceResource
    score: float
    components: dict[str, float]
    facts: dict
    explanation: Explanation

    @property
    def points(self) -> int:
        return round(self.score)


def ranked(wish: Wish, weights: MatchingWeights) -> QuerySet:
    """Eligible people, best first, as one query of ids, values and score, from the live tables:
    what the shortlist's ranking of the kept rows must agree with (the property tests)."""
    qs = annotate_components(eligible(wish), wish, weights)
    fields = ["pk", "score", "last_asked", "asked_12m", *(f"c_{name}" for name in CRITERIA)]
    return qs.order_by(F("score").desc(), F("last_asked").asc(nulls_first=True), "pk").values(*fields)


def shortlist(unit_request: UnitRequest, *, limit: int = SHORTLIST_PAGE, wish: Wish | None = None) -> tuple[list[Candidate], int]:
    """The best `limit` candidates with their explanations, and how many pass the hard rules.

    One query reads the few people in play whom the hard rules rule out by name (away, asked,
    conflict, at their monthly limit); the count of everyone in play is kept (keep.IN_PLAY);
    one query ranks the kept rows (scoring.RowRanking; one more, of those whose ceiling reaches
    the narrowed best, when the narrowed ranking below cannot decide); two read the page's
    people and their links, from which every criterion's value, the score and the words are
    computed in Python: the same queries whatever the size of the pool.
    """
    wish = wish or Wish.of(unit_request)
    weights = MatchingWeights.current()
    if limit <= 0:
        return [], eligible(wish).count()
    ranking = RowRanking(wish, weights, connection)
    excluded = ranking.ruled_out()
    # Everyone in play (a kept count) less those in play whom a hard rule rules out by name.
    total = max(in_play_count(wish) - len(excluded), 0)
    out = set(excluded)

    def best(condition=None) -> list[tuple[int, float]]:
        # Those ruled out by name are left out here from the first `limit + len(out)` rows: a
        # look-up per row in SQL (even of one array) costs more than the few extra rows.
        return [row for row in ranking.best(limit + len(out), condition) if row[0] not in out][:limit]

    order = None
    narrow = ranking.narrowing()
    if narrow is not None:
        # Only those who pass a cheap condition are scored; if the last of their best still
        # scores more than anyone failing it can, these are the best of everyone.
        condition, ceiling = narrow
        order = best(condition)
        if len(order) == limit and order[-1][1] <= ceiling + NARROWING_MARGIN:
            # Someone failing it could still be among the best: only those whose cheap upper
            # bound reaches the last of these are scored (those here all do).
            bound, bound_p = ranking.ceiling()
            order = best((f"({bound}) >= %s", [*bound_p, order[-1][1] - NARROWING_MARGIN]))
        elif len(order) < limit:
            order = None
    if order is None:
        order = best()
    ids = [pk for pk, _score in order]
    # The page's people from the live tables, with their fairness facts; each criterion's value
    # and the score are computed in Python from them (scoring.components_of).
    in_year = Q(inquiries__sent_at__gte=wish.now - timedelta(days=365))
    # Only what the page, the criteria and the words read of the person.
    people = (
        ExperienceResource.objects.only(*PAGE_FIELDS)
        .annotate(asked_last_at=Max("inquiries__sent_at"), asked_in_year=Count("inquiries", filter=in_year))
        .in_bulk(ids)
    )
    links = links_of_people(ids)
    candidates = []
    for pk in ids:
        resource = people[pk]
        facts = {"last_asked": resource.asked_last_at, "asked_12m": resource.asked_in_year}
        components = components_of(resource, facts["last_asked"], facts["asked_12m"], wish, links[pk])
        score = score_from(components, wish, weights)
        explanation = explain(resource, components, facts, wish, links[pk])
        candidates.append(Candidate(resource, score, components, facts, explanation))
    return candidates, total


def inquiries_for_request(unit_request: UnitRequest) -> QuerySet[Inquiry]:
    return unit_request.inquiries.select_related("resource", "sent_by").order_by("status", "sent_at", "pk")


def own_inquiries(user) -> QuerySet[Inquiry]:
    """Only the signed-in person's own inquiries: every resource-facing view starts here."""
    return Inquiry.objects.filter(resource__user=user, resource__user__isnull=False).select_related("request", "request__unit")


def people_to_add_by_hand(unit_request: UnitRequest, query: str, *, pk: int | None = None) -> QuerySet[ExperienceResource]:
    """Anyone in the pool (active, paused or waiting for intake) not yet asked, by name or e-mail (or one of them by id)."""
    query = query.strip()
    qs = ExperienceResource.objects.filter(
        status__in=[ResourceStatus.ACTIVE, ResourceStatus.PAUSED, ResourceStatus.INTAKE_BOOKED], erased_at__isnull=True
    ).exclude(inquiries__request=unit_request)
    if pk is not None:
        qs = qs.filter(pk=pk)
    for word in query.split()[:4]:
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return qs.order_by("last_name", "first_name")[:20]


def spread(months: int = 12) -> dict:
    """How inquiries and assignments spread over the active pool in the last `months` months.

    Two queries whatever the size of the pool: how many people are active, and how many of
    them were asked (and used) how many times, as a few rows of (asked, used, people).
    """
    since = timezone.now() - timedelta(days=round(months * 30.4))
    active = ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE).count()
    per_person = (
        Inquiry.objects.filter(resource__status=ResourceStatus.ACTIVE, sent_at__gte=since)
        .values("resource_id")
        .annotate(asked=Count("pk"), used=Count("pk", filter=Q(status=InquiryStatus.CHOSEN)))
        .values("asked", "used")
    )
    # Django cannot group by an aggregate, so its SQL is wrapped; every value stays a parameter.
    sql, params = per_person.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT asked, used, COUNT(*) FROM ({sql}) per_person GROUP BY asked, used", params)  # noqa: S608
        pairs = cursor.fetchall()
    asked, used = Counter(), Counter()
    for n_asked, n_used, people in pairs:
        asked[n_asked] += people
        used[n_used] += people
    asked[0] += active - sum(people for *_pair, people in pairs)
    return {
        "active": active,
        "inquiries": _share(asked, active),
        "assignments": _share(used, active),
        "never_asked": asked[0],
    }


def _share(people_by_count: Counter, active: int) -> dict:
    """The total, and the share of it that went to the busiest tenth of the active people."""
    total = sum(count * people for count, people in people_by_count.items())
    reached = sum(people for count, people in people_by_count.items() if count)
    if not active or not total:
        return {"total": total, "people": reached, "top_tenth_share": None}
    left, top = max(1, active // 10), 0
    for count in sorted(people_by_count, reverse=True):
        take = min(left, people_by_count[count])
        top, left = top + take * count, left - take
        if not left:
            break
    return {"total": total, "people": reached, "top_tenth_share": round(100 * top / total)}
