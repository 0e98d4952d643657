"""Reads for matching: the shortlist, a request's inquiries, a person's inquiries, the spread."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Count, F, Func, Q, QuerySet, Subquery
from django.utils import timezone

from matching.enums import InquiryStatus
from matching.models import Inquiry, MatchingWeights
from matching.scoring import (
    CRITERIA,
    Explanation,
    Wish,
    annotate_components,
    annotate_rows,
    eligible,
    eligible_rows,
    explain,
    reached_limit,
)
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app.models import UnitRequest

SHORTLIST_PAGE = 25


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


def ranked(wish: Wish, weights: MatchingWeights, *, components: bool = True) -> QuerySet:
    """Eligible people, best first, as one query of ids, values and score.

    With components=False only the ids, the score and the fairness facts are selected: the
    database then works out each criterion once per person (inside the score) instead of twice.
    """
    qs = annotate_components(eligible(wish), wish, weights)
    fields = ["pk", "score", "last_asked", "asked_12m"]
    if components:
        fields += [f"c_{name}" for name in CRITERIA]
    return qs.order_by(F("score").desc(), F("last_asked").asc(nulls_first=True), "pk").values(*fields)


def ranked_rows(wish: Wish, weights: MatchingWeights, *, reached: list[int] | None = None) -> QuerySet:
    """The same ranking as ranked(components=False), from the kept rows (matching.keep): one
    table, no look-ups or grouping per person. `reached` as for eligible_rows()."""
    qs = annotate_rows(eligible_rows(wish, reached=reached), wish, weights)
    return qs.order_by(F("score").desc(), F("last_asked").asc(nulls_first=True), "pk").values("pk", "score", "last_asked")


def shortlist(unit_request: UnitRequest, *, limit: int = SHORTLIST_PAGE, wish: Wish | None = None) -> tuple[list[Candidate], int]:
    """The best `limit` candidates with their explanations, and how many pass the hard rules.

    One query finds who has reached their own monthly limit, one ranks the whole pool from
    the kept rows and counts it; one more gives every criterion's value for the people on the page from the live
    tables, whose records and taxonomies follow in four: the same queries whatever the size
    of the pool.
    """
    wish = wish or Wish.of(unit_request)
    weights = MatchingWeights.current()
    if limit <= 0:
        return [], eligible(wish).count()
    # Those at their own monthly limit, read once: then the count below is a plain scan of the
    # kept rows, computed once (not a window over every ranked row, which spills to disk).
    reached = reached_limit(wish)
    everyone = eligible_rows(wish, reached=reached).order_by().values(n=Func("pk", function="COUNT"))
    order = list(ranked_rows(wish, weights, reached=reached).annotate(eligible=Subquery(everyone))[:limit])
    ids = [row["pk"] for row in order]
    fields = ["pk", "score", "last_asked", "asked_12m", *[f"c_{name}" for name in CRITERIA]]
    values = {
        row["pk"]: row
        for row in annotate_components(ExperienceResource.objects.filter(pk__in=ids), wish, weights, few=True).values(*fields)
    }
    people = ExperienceResource.objects.prefetch_related("areas", "perspectives", "contribution_types").in_bulk(ids)
    candidates = []
    for pk in ids:
        row = values[pk]
        components = {name: row[f"c_{name}"] for name in CRITERIA}
        facts = {"last_asked": row["last_asked"], "asked_12m": row["asked_12m"]}
        resource = people[pk]
        candidates.append(Candidate(resource, row["score"], components, facts, explain(resource, components, facts, wish)))
    return candidates, (order[0]["eligible"] if order else 0)


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
