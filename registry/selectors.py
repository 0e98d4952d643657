from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from config.kept_counts import KeptCounts
from config.rows import linked_ids
from registry.enums import PerspectiveCode, ResourceStatus
from registry.models import ContributionType, ExperienceArea, ExperienceResource, Perspective


def resources_for_coordinators() -> QuerySet[ExperienceResource]:
    return ExperienceResource.objects.prefetch_related("areas", "perspectives")


def own_resource(user) -> ExperienceResource | None:
    return ExperienceResource.objects.filter(user=user).first()


# The count of the whole pool under its list (a count of 200,000 rows on every view of the
# first page otherwise). Forgotten whenever a person is added or removed through Django
# (registry.apps connects `forget_pool_count`); rows added behind Django's back (raw SQL,
# bulk_create) are counted at most POOL_COUNT_SECONDS late.
POOL_COUNT_KEY = "registry.pool_count"
POOL_COUNT_SECONDS = 600


def pool_count() -> int:
    return cache.get_or_set(POOL_COUNT_KEY, ExperienceResource.objects.count, POOL_COUNT_SECONDS)


def forget_pool_count(sender, created=True, **kwargs) -> None:
    if created:
        cache.delete(POOL_COUNT_KEY)


# --- the taxonomies, kept ----------------------------------------------------------------------

# The three taxonomies are short lists every pool page shows (its filter's options, each row's
# perspectives and areas): kept in the cache as plain rows, forgotten whenever one is saved or
# deleted (registry.apps connects `forget_taxonomies`), and read again at most
# TAXONOMY_SECONDS after a change that bypasses save().
TAXONOMY_KEY = "registry.taxonomies"
TAXONOMY_SECONDS = 600
TAXONOMIES = {"perspective": Perspective, "area": ExperienceArea, "contribution": ContributionType}


def _read_taxonomies() -> dict[str, list[tuple]]:
    # Each in its model's order, as (id, name, English name); a perspective's name is its code.
    rows = {"perspective": [(pk, code, "") for pk, code in Perspective.objects.values_list("pk", "code")]}
    for name in ("area", "contribution"):
        rows[name] = list(TAXONOMIES[name].objects.values_list("pk", "name", "name_en"))
    return rows


def taxonomy_labels() -> dict[str, list[tuple[int, str]]]:
    """Each taxonomy ("perspective", "area", "contribution") as `(id, label)` in its order, each
    label in the language of the page as the model's str() gives it. One read of the cache."""
    rows = cache.get(TAXONOMY_KEY)
    if rows is None:
        rows = _read_taxonomies()
        cache.set(TAXONOMY_KEY, rows, TAXONOMY_SECONDS)
    codes = dict(PerspectiveCode.choices)
    english = (get_language() or "").startswith("en")
    labels = {"perspective": [(pk, str(codes.get(code, code))) for pk, code, _ in rows["perspective"]]}
    for name in ("area", "contribution"):
        labels[name] = [(pk, name_en if english and name_en else name) for pk, name, name_en in rows[name]]
    return labels


def forget_taxonomies(**kwargs) -> None:
    # Now, and again after the commit: a page drawn in between may have kept the old rows.
    cache.delete(TAXONOMY_KEY)
    transaction.on_commit(lambda: cache.delete(TAXONOMY_KEY))


# --- the counts of a filtered pool, kept ---------------------------------------------------------

# A filtered pool is counted once (10,000 matches of 200,000 cost 30-60 ms to count), then kept
# for the views after it (config.kept_counts). Any change of a person or of their links (saved,
# deleted, a taxonomy deleted with its links) forgets them: registry.apps connects
# `POOL_COUNTS.forget`. The last assignment is recorded with QuerySet.update() (by the
# assignments app, which sends no signal the registry hears): a filter on it is never kept.
POOL_COUNTS = KeptCounts("registry.pool", unkept={"last_assignment"})


def filtered_count(queryset, chosen: dict) -> int:
    """The count of `queryset`, the pool filtered by `chosen` (the filter's name -> its value)."""
    return POOL_COUNTS.count(queryset, chosen)


# --- the deep pages of the pool -------------------------------------------------------------------

# The pool's own order, and every MARK_EVERY-th person's place in it, kept: a page past the first
# mark starts from the nearest mark before it (a row comparison the order's index answers) and
# skips fewer than MARK_EVERY index entries, not up to 200,000 (page 2,000 of 4,000: 10 ms of
# skipping). A missing mark is found once, from the nearest mark before it, and kept with the
# counts (POOL_COUNTS: any change of a person starts afresh).
POOL_ORDER = ("last_name", "first_name", "id")
MARK_EVERY = 5_000


def _from_mark(pool: QuerySet, mark: tuple) -> QuerySet:
    # Only the unfiltered pool is marked: its query has one table, so the columns need no alias.
    return pool.filter(RawSQL("(last_name, first_name, id) >= (%s, %s, %s)", mark, output_field=BooleanField()))


def page_ids(pool: QuerySet, bottom: int, top: int) -> QuerySet:
    """The ids of rows bottom..top of the unfiltered `pool` in POOL_ORDER, as a subquery."""
    mark_number = bottom // MARK_EVERY
    if not mark_number:
        return pool.values("pk")[bottom:top]
    marks, ticket = POOL_COUNTS.recall({"(marks)": MARK_EVERY})
    marks = dict(marks or {})
    if mark_number not in marks:
        before = max((n for n in marks if n < mark_number), default=0)
        start = _from_mark(pool, marks[before]) if before else pool
        skip = (mark_number - before) * MARK_EVERY
        found = list(start.order_by(*POOL_ORDER).values_list(*POOL_ORDER)[skip : skip + 1])
        if not found:  # fewer people than the mark (the count is a little behind): skip them all
            return pool.values("pk")[bottom:top]
        marks[mark_number] = found[0]
        POOL_COUNTS.keep(ticket, marks)
    skip = mark_number * MARK_EVERY
    return _from_mark(pool, marks[mark_number]).order_by(*POOL_ORDER).values("pk")[bottom - skip : top - skip]


# --- the rows of the pool list -------------------------------------------------------------------------


class PoolRow:
    """A person as the pool list shows them: plain values, not a model instance (a person's
    instance is 32 columns, with their story, and an audit snapshot taken as it is built)."""

    __slots__ = ("area_text", "created_at", "first_name", "last_assignment_on", "last_name", "municipality", "perspective_text")
    __slots__ += ("pk", "status", "status_label")

    def __init__(self, pk, first_name, last_name, status, municipality, last_assignment_on, created_at):
        self.pk, self.first_name, self.last_name, self.status = pk, first_name, last_name, status
        self.municipality, self.last_assignment_on, self.created_at = municipality, last_assignment_on, created_at

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


POOL_ROW_COLUMNS = ("pk", "first_name", "last_name", "status", "municipality", "last_assignment_on", "created_at")


def pool_rows(page: QuerySet[ExperienceResource], labels: dict | None = None) -> list[PoolRow]:
    """The people of one page of the pool (`page`: that page's queryset, in its order), each with
    their perspectives and areas as text in the taxonomies' order and the page's language: two
    queries, the names from the kept taxonomies (`labels`, as taxonomy_labels() gives them)."""
    rows = [PoolRow(*values) for values in page.values_list(*POOL_ROW_COLUMNS)]
    statuses = {value: str(label) for value, label in ResourceStatus.choices}
    shown = (("perspectives", "perspective", "perspective_text"), ("areas", "area", "area_text"))
    # Both lists of links in one query.
    chosen = linked_ids(ExperienceResource, [relation for relation, _, _ in shown], [row.pk for row in rows])
    labels = labels or taxonomy_labels()
    for relation, taxonomy, _attr in shown:
        linked = {item for items in chosen.get(relation, {}).values() for item in items}
        if not linked <= {pk for pk, _ in labels[taxonomy]}:
            cache.delete(TAXONOMY_KEY)  # one was added behind Django's back: the kept rows are old
            labels = taxonomy_labels()
            break
    for relation, taxonomy, attr in shown:
        place = {pk: n for n, (pk, _) in enumerate(labels[taxonomy])}
        names = dict(labels[taxonomy])
        by_person = chosen.get(relation, {})
        for row in rows:
            items = sorted(by_person.get(row.pk, ()), key=lambda pk: place.get(pk, len(place)))
            setattr(row, attr, ", ".join(names.get(pk, "") for pk in items))
    for row in rows:
        row.status_label = statuses.get(row.status, row.status)
    return rows
