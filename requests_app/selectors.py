from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from requests_app.enums import OPEN_STATUSES, WAITING_STATUSES, JoinKind, JoinStatus, RequestStatus
from requests_app.models import UnitJoinRequest, UnitRequest


def requests_for_unit_staff(user) -> QuerySet[UnitRequest]:
    """Only the requests of the units the person works at: every unit-facing view starts here."""
    return UnitRequest.objects.filter(unit__staff=user).select_related("unit")


def requests_for_coordinators() -> QuerySet[UnitRequest]:
    # Drafts belong to the unit until they are sent.
    return UnitRequest.objects.exclude(status=RequestStatus.DRAFT).select_related("unit", "responsible").prefetch_related("areas")


def coordinators() -> QuerySet[User]:
    return User.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).distinct().order_by("full_name", "email")


def board_summary() -> dict:
    """The figures at the top of the board: how many in each status, and the oldest waiting."""
    # Every figure is about open requests (the waiting ones are open too): only those are read,
    # by the status index, however many closed requests the years have gathered.
    sent = UnitRequest.objects.filter(status__in=OPEN_STATUSES)
    counts = sent.aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in RequestStatus if status.value in OPEN_STATUSES},
        unassigned=Count("pk", filter=Q(status__in=OPEN_STATUSES, responsible__isnull=True)),
        oldest_waiting=Min("submitted_at", filter=Q(status__in=WAITING_STATUSES)),
    )
    oldest = counts.pop("oldest_waiting")
    return {
        "counts": [(RequestStatus(s), counts[s]) for s in RequestStatus.values if s in counts],
        "unassigned": counts["unassigned"],
        "oldest_waiting_days": (timezone.now() - oldest).days if oldest else None,
    }


def joins_to_decide(user):
    """Requests to join the person's own units, which the region lets them decide."""
    if not settings.UNIT_MEMBERS_APPROVE_JOINS:
        return UnitJoinRequest.objects.none()
    return UnitJoinRequest.objects.filter(
        kind=JoinKind.EXISTING_UNIT, status=JoinStatus.PENDING, unit__staff=user, unit__is_active=True
    ).select_related("user", "unit")
