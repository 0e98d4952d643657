from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from config.kept_counts import KeptCounts
from config.rows import linked_ids
from registry.selectors import forget_taxonomies, taxonomy_labels
from requests_app.enums import OPEN_STATUSES, WAITING_STATUSES, JoinKind, JoinStatus, RequestStatus, WorkKind
from requests_app.models import UnitJoinRequest, UnitRequest


def requests_for_unit_staff(user) -> QuerySet[UnitRequest]:
    """Only the requests of the units the person works at: every unit-facing view starts here."""
    return UnitRequest.objects.filter(unit__staff=user).select_related("unit")


def requests_for_coordinators() -> QuerySet[UnitRequest]:
    # Drafts belong to the unit until they are sent.
    return UnitRequest.objects.exclude(status=RequestStatus.DRAFT).select_related("unit", "responsible").prefetch_related("areas")


def board_requests() -> QuerySet[UnitRequest]:
    """The board's requests; its page's rows are read as plain values by `board_rows`."""
    return requests_for_coordinators().prefetch_related(None).select_related(None)


class BoardRow:
    """A request as the board shows it: plain values, not model instances (a request, its unit
    and the coordinator responsible, each unit with an audit snapshot taken as it is built)."""

    __slots__ = ("area_names", "kind", "kind_other", "pk", "reference", "reply_by", "responsible_email", "responsible_name")
    __slots__ += ("kind_label", "starts_on", "status", "status_label", "submitted_at", "title", "unit_name")

    def __init__(self, pk, reference, title, status, kind, kind_other, submitted_at, starts_on, reply_by, *more):
        self.pk, self.reference, self.title, self.status = pk, reference, title, status
        self.kind, self.kind_other = kind, kind_other
        self.submitted_at, self.starts_on, self.reply_by = submitted_at, starts_on, reply_by
        self.unit_name, self.responsible_name, self.responsible_email = more

    @property
    def responsible(self) -> str:
        """The coordinator responsible, as User.get_full_name() names them; "" for none."""
        return self.responsible_name or self.responsible_email or ""


BOARD_ROW_COLUMNS = ("pk", "reference", "title", "status", "kind", "kind_other", "submitted_at", "starts_on", "reply_by")
BOARD_ROW_COLUMNS += ("unit__name", "responsible__full_name", "responsible__email")


def board_rows(page: QuerySet[UnitRequest], taxonomies: dict | None = None) -> list[BoardRow]:
    """The requests of one page of the board (`page`: that page's queryset, in its order), each
    with `area_names`: its experience areas in their order and the page's language. Two queries,
    the names from the kept taxonomies (`taxonomies`, as taxonomy_labels() gives them)."""
    rows = [BoardRow(*values) for values in page.values_list(*BOARD_ROW_COLUMNS)]
    chosen = linked_ids(UnitRequest, ["areas"], [row.pk for row in rows])["areas"]
    areas = (taxonomies or taxonomy_labels())["area"]
    if not {pk for items in chosen.values() for pk in items} <= {pk for pk, _ in areas}:
        forget_taxonomies()  # one was added behind Django's back: the kept rows are old
        areas = taxonomy_labels()["area"]
    place = {pk: n for n, (pk, _) in enumerate(areas)}
    names = dict(areas)
    # Each label made once a page (a choice's label is a catalogue lookup), as UnitRequest's own.
    kinds = {value: str(label) for value, label in WorkKind.choices}
    statuses = {value: str(label) for value, label in RequestStatus.choices}
    for row in rows:
        row.area_names = [names[pk] for pk in sorted(chosen.get(row.pk, ()), key=place.__getitem__)]
        row.status_label = statuses.get(row.status, row.status)
        other = row.kind == WorkKind.OTHER and row.kind_other  # UnitRequest.kind_label
        row.kind_label = other or kinds.get(row.kind, row.kind)
    return rows


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


# The counts under the board's filtered lists (config.kept_counts): forgotten when a request is
# saved or deleted, its areas change, or a unit is saved (its name is searched). "Has waited more
# than" moves with the clock: never kept.
BOARD_COUNTS = KeptCounts("requests.board", unkept={"waiting"})


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
