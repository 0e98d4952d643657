from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from registry.models import ExperienceArea
from requests_app.enums import OPEN_STATUSES, WAITING_STATUSES, JoinKind, JoinStatus, RequestStatus
from requests_app.models import UnitJoinRequest, UnitRequest


def requests_for_unit_staff(user) -> QuerySet[UnitRequest]:
    """Only the requests of the units the person works at: every unit-facing view starts here."""
    return UnitRequest.objects.filter(unit__staff=user).select_related("unit")


def requests_for_coordinators() -> QuerySet[UnitRequest]:
    # Drafts belong to the unit until they are sent.
    return UnitRequest.objects.exclude(status=RequestStatus.DRAFT).select_related("unit", "responsible").prefetch_related("areas")


def board_requests() -> QuerySet[UnitRequest]:
    """The board's rows: only the columns it shows (a request's texts stay in the database), and
    the areas read by `with_area_names` for the page's rows instead of a prefetch per request."""
    return (
        requests_for_coordinators()
        .prefetch_related(None)
        .only(*BOARD_COLUMNS, "unit__name", "responsible__full_name", "responsible__email")
    )


BOARD_COLUMNS = ("reference", "title", "status", "kind", "kind_other", "submitted_at", "starts_on", "reply_by")


def with_area_names(requests) -> list[UnitRequest]:
    """The requests, each with `area_names`: its experience areas in their order, in the page's
    language. One query, one area object per request and area; no related manager per request."""
    requests = list(requests)
    names = {}
    pairs = ExperienceArea.objects.filter(unitrequest__in=[r.pk for r in requests]).annotate(request_id=F("unitrequest"))
    for area in pairs:
        names.setdefault(area.request_id, []).append(str(area))
    for r in requests:
        r.area_names = names.get(r.pk, [])
    return requests


def coordinators() -> QuerySet[User]:
    return User.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).distinct().order_by("full_name", "email")


# The board's figures are kept in the cache: every save or delete of a request forgets them
# (after its commit), and they are counted again at most this long after a change that bypasses
# save() (a bulk update or raw SQL) or a count that raced a commit.
SUMMARY_KEY = "requests:board-summary"
SUMMARY_SECONDS = 60


def board_summary() -> dict:
    """The figures at the top of the board: how many in each status, and the oldest waiting."""
    counts = cache.get(SUMMARY_KEY)
    if counts is None:
        counts = _count_open()
        cache.set(SUMMARY_KEY, counts, SUMMARY_SECONDS)
    oldest = counts["oldest_waiting"]
    return {
        "counts": [(RequestStatus(s), counts[s]) for s in RequestStatus.values if s in counts],
        "unassigned": counts["unassigned"],
        "oldest_waiting_days": (timezone.now() - oldest).days if oldest else None,
    }


def _count_open() -> dict:
    # Every figure is about open requests (the waiting ones are open too): only those are read,
    # by the status index, however many closed requests the years have gathered.
    sent = UnitRequest.objects.filter(status__in=OPEN_STATUSES)
    return sent.aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in RequestStatus if status.value in OPEN_STATUSES},
        unassigned=Count("pk", filter=Q(status__in=OPEN_STATUSES, responsible__isnull=True)),
        oldest_waiting=Min("submitted_at", filter=Q(status__in=WAITING_STATUSES)),
    )


def forget_board_summary(**kwargs) -> None:
    """A request was saved or deleted: the figures are counted again. Forgotten now, and again
    after the commit: a page drawn in between may have kept the figures without the change."""
    cache.delete(SUMMARY_KEY)
    transaction.on_commit(lambda: cache.delete(SUMMARY_KEY))


def joins_to_decide(user):
    """Requests to join the person's own units, which the region lets them decide."""
    if not settings.UNIT_MEMBERS_APPROVE_JOINS:
        return UnitJoinRequest.objects.none()
    return UnitJoinRequest.objects.filter(
        kind=JoinKind.EXISTING_UNIT, status=JoinStatus.PENDING, unit__staff=user, unit__is_active=True
    ).select_related("user", "unit")
