"""Reads for evaluations and the coordinators' follow-up list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from assignments.enums import AssignmentStatus, CompletionStatus
from assignments.models import Assignment
from evaluations.enums import LOW_RATING, FollowUpKind, Respondent
from evaluations.models import Answer, Evaluation, FollowUp
from matching.enums import InquiryStatus
from matching.models import Inquiry
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app.enums import CLOSED_STATUSES as REQUEST_CLOSED
from requests_app.models import UnitRequest

# How many items of each kind the list shows at most; the rest wait for the next visit.
PER_KIND = 50
NEVER_ASKED_DAYS = 365
DECLINES_IN_A_ROW = 3

# --- evaluations -----------------------------------------------------------------------------


def _with_set(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return qs.select_related("assignment", "assignment__request", "assignment__request__unit", "question_set")


def own_evaluations(user) -> QuerySet[Evaluation]:
    """Only the signed-in person's own evaluations: every resource-facing view starts here."""
    return _with_set(
        Evaluation.objects.filter(
            respondent=Respondent.RESOURCE, assignment__resource__user=user, assignment__resource__user__isnull=False
        )
    )


def unit_evaluations(user) -> QuerySet[Evaluation]:
    """The unit's evaluations of assignments at the units the user works at."""
    return _with_set(Evaluation.objects.filter(respondent=Respondent.UNIT, assignment__request__unit__staff=user)).distinct()


def shared_with_resource(assignments) -> QuerySet[Answer]:
    """Closing the loop: the unit's answers to the questions shown to the person (e.g. what it led to)."""
    return (
        Answer.objects.filter(
            evaluation__assignment__in=assignments,
            evaluation__respondent=Respondent.UNIT,
            evaluation__submitted_at__isnull=False,
            question__shown_to_resource=True,
        )
        .exclude(text="")
        .select_related("question", "evaluation", "evaluation__assignment")
        .order_by("-evaluation__submitted_at", "question__order")
    )


def answers_of(evaluation: Evaluation) -> list[Answer]:
    return list(evaluation.answers.select_related("question").order_by("question__order", "pk"))


# --- the follow-up list ----------------------------------------------------------------------


@dataclass
class Item:
    kind: str
    object_id: int
    title: str
    detail: str
    link: str
    since: datetime | None


def _followed_up(kind: str, *, after=None):
    """Exists: a follow-up of this kind of the outer row (after a moment, when given)."""
    qs = FollowUp.objects.filter(kind=kind, object_id=OuterRef("pk"))
    if after is not None:
        qs = qs.filter(followed_up_at__gte=after)
    return Exists(qs)


def no_evaluation(now: datetime) -> QuerySet[Assignment]:
    """Done assignments whose evaluations closed (or were never made) without any answer."""
    closed_before = now - timedelta(days=settings.EVALUATION_CLOSE_DAYS)
    return (
        Assignment.objects.filter(status=AssignmentStatus.DONE, done_at__lte=closed_before)
        .exclude(Exists(Evaluation.objects.filter(assignment=OuterRef("pk"), submitted_at__isnull=False)))
        .exclude(_followed_up(FollowUpKind.NO_EVALUATION))
        .select_related("request__unit", "resource")
        .order_by("done_at", "pk")
    )


def low_ratings() -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(submitted_at__isnull=False)
        .annotate(lowest=Min("answers__rating"))
        .filter(lowest__lte=LOW_RATING)
        .exclude(_followed_up(FollowUpKind.LOW_RATING))
        .select_related("assignment__request__unit", "assignment__resource")
        .order_by("submitted_at", "pk")
    )


def disputed() -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(completion__status=CompletionStatus.DISPUTED)
        .exclude(_followed_up(FollowUpKind.DISPUTED))
        .select_related("request__unit", "resource", "completion")
        .order_by("completion__answered_at", "pk")
    )


def unsigned(now: datetime) -> QuerySet[Assignment]:
    """Agreements waiting for signatures for long (FOLLOW_UP_UNSIGNED_DAYS)."""
    before = now - timedelta(days=settings.FOLLOW_UP_UNSIGNED_DAYS)
    return (
        Assignment.objects.filter(status=AssignmentStatus.SIGNING)
        .annotate(waiting_since=Coalesce("status_changed_at", "created_at"))
        .filter(waiting_since__lte=before)
        # Followed up since it went to signing; going back to drafting and again to signing lists it anew.
        .exclude(_followed_up(FollowUpKind.UNSIGNED, after=OuterRef("waiting_since")))
        .select_related("request__unit", "resource")
        .order_by("waiting_since", "pk")
    )


def no_match() -> QuerySet[UnitRequest]:
    """Requests that closed (declined, withdrawn, completed) without anyone chosen."""
    return (
        UnitRequest.objects.filter(status__in=REQUEST_CLOSED, submitted_at__isnull=False)
        .exclude(Exists(Inquiry.objects.filter(request=OuterRef("pk"), status=InquiryStatus.CHOSEN)))
        .exclude(_followed_up(FollowUpKind.NO_MATCH))
        .select_related("unit")
        .order_by("-status_changed_at", "-pk")
    )


def never_asked(now: datetime) -> QuerySet[ExperienceResource]:
    """Active people in the pool for a year who got no inquiry in the last 12 months."""
    year_ago = now - timedelta(days=NEVER_ASKED_DAYS)
    return (
        ExperienceResource.objects.filter(status=ResourceStatus.ACTIVE, created_at__lte=year_ago)
        .exclude(Exists(Inquiry.objects.filter(resource=OuterRef("pk"), sent_at__gte=year_ago)))
        # A follow-up counts for a year: then, still not asked, the person is back on the list.
        .exclude(_followed_up(FollowUpKind.NEVER_ASKED, after=year_ago))
        .order_by("created_at", "pk")
    )


def declined_thrice() -> QuerySet[ExperienceResource]:
    """People whose last three answers were all no (and who were not followed up since)."""
    answered = Inquiry.objects.filter(resource=OuterRef("pk"), answered_at__isnull=False).order_by("-answered_at", "-pk")
    third = answered.values("answered_at")[DECLINES_IN_A_ROW - 1 : DECLINES_IN_A_ROW]
    latest = answered.values("answered_at")[:1]
    yes_since = Inquiry.objects.filter(
        resource=OuterRef("pk"), answered_at__isnull=False, answered_at__gte=OuterRef("third_answer")
    ).exclude(status=InquiryStatus.NO)
    return (
        ExperienceResource.objects.filter(status__in=[ResourceStatus.ACTIVE, ResourceStatus.PAUSED])
        .annotate(third_answer=Subquery(third), latest_answer=Subquery(latest))
        .filter(third_answer__isnull=False)
        .exclude(Exists(yes_since))
        .exclude(
            Exists(
                FollowUp.objects.filter(
                    kind=FollowUpKind.DECLINED_THRICE, object_id=OuterRef("pk"), followed_up_at__gte=OuterRef("latest_answer")
                )
            )
        )
        .order_by(F("latest_answer").desc(), "pk")
    )


def follow_up_items(now: datetime | None = None) -> dict[str, list[Item]]:
    """Every open item, by kind: one query per kind, whatever the number of rows."""
    now = now or timezone.now()
    items: dict[str, list[Item]] = {}

    def assignment_item(kind, a, detail, since):
        return Item(
            kind, a.pk, f"{a.reference}: {a.title}", detail, reverse("requests_app:triage_detail", args=[a.request_id]), since
        )

    items[FollowUpKind.NO_EVALUATION] = [
        assignment_item(FollowUpKind.NO_EVALUATION, a, f"{a.request.unit.name}, {a.resource.full_name}", a.done_at)
        for a in no_evaluation(now)[:PER_KIND]
    ]
    items[FollowUpKind.LOW_RATING] = [
        Item(
            FollowUpKind.LOW_RATING,
            e.pk,
            f"{e.assignment.reference}: {e.assignment.title}",
            f"{e.get_respondent_display()}: {e.lowest}",
            reverse("evaluations:coordinator_detail", args=[e.pk]),
            e.submitted_at,
        )
        for e in low_ratings()[:PER_KIND]
    ]
    items[FollowUpKind.DISPUTED] = [
        assignment_item(FollowUpKind.DISPUTED, a, f"{a.request.unit.name}, {a.resource.full_name}", a.completion.answered_at)
        for a in disputed()[:PER_KIND]
    ]
    items[FollowUpKind.UNSIGNED] = [
        assignment_item(FollowUpKind.UNSIGNED, a, f"{a.request.unit.name}, {a.resource.full_name}", a.waiting_since)
        for a in unsigned(now)[:PER_KIND]
    ]
    items[FollowUpKind.NO_MATCH] = [
        Item(
            FollowUpKind.NO_MATCH,
            r.pk,
            f"{r.reference}: {r.title}",
            f"{r.unit.name}, {r.get_status_display()}",
            reverse("requests_app:triage_detail", args=[r.pk]),
            r.status_changed_at,
        )
        for r in no_match()[:PER_KIND]
    ]
    items[FollowUpKind.NEVER_ASKED] = [
        Item(
            FollowUpKind.NEVER_ASKED,
            p.pk,
            p.full_name,
            p.municipality,
            reverse("registry:resource_detail", args=[p.pk]),
            p.created_at,
        )
        for p in never_asked(now)[:PER_KIND]
    ]
    items[FollowUpKind.DECLINED_THRICE] = [
        Item(
            FollowUpKind.DECLINED_THRICE,
            p.pk,
            p.full_name,
            p.municipality,
            reverse("registry:resource_detail", args=[p.pk]),
            p.latest_answer,
        )
        for p in declined_thrice()[:PER_KIND]
    ]
    return items


def is_open_item(kind: str, object_id: int, now: datetime | None = None) -> bool:
    """Is this item on the list now? A follow-up can only be recorded for what the list shows."""
    now = now or timezone.now()
    querysets = {
        FollowUpKind.NO_EVALUATION: lambda: no_evaluation(now),
        FollowUpKind.LOW_RATING: low_ratings,
        FollowUpKind.DISPUTED: disputed,
        FollowUpKind.UNSIGNED: lambda: unsigned(now),
        FollowUpKind.NO_MATCH: no_match,
        FollowUpKind.NEVER_ASKED: lambda: never_asked(now),
        FollowUpKind.DECLINED_THRICE: declined_thrice,
    }
    return kind in querysets and querysets[kind]().filter(pk=object_id).exists()
