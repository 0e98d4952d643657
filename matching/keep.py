"""Keeps matching.models.ShortlistRow in step with the people, their links and their inquiries.

One row per person in the pool (active, not erased), with what the shortlist's score needs
(see the model), and the months in which they have reached their own monthly limit
(MonthAtLimit, which goes with the row). Every write the app makes reaches one of the receivers
below, connected in MatchingConfig.ready(): a save of the person, a change of their experience
areas, perspectives or ways of contributing (either side of the link, a taxonomy deleted too),
an inquiry made, answered or deleted, a request's start changed, and an assignment done (the
assignments app's signal, which records the person's last assignment). Writes that bypass Django's signals (QuerySet.update(),
bulk_create(), raw SQL such as bench/national.py's load) must call keep_people() or rebuild()
afterwards; services.refresh_fairness() (beat, every 10 minutes) rebuilds every row in its first
run of each day, and at once when the rows are not one per person in the pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import F, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from config.kept_counts import KeptCounts
from matching.enums import COMMITTED
from registry.enums import ResourceStatus

# Bits 0-62 of a signed 64-bit integer: the taxonomy primary keys a mask can hold.
MASK_BITS = 63
# (the person's many-to-many field, the link table's column for the other side, the row's mask)
LINKS = (
    ("areas", "experiencearea_id", "areas"),
    ("perspectives", "perspective_id", "perspectives"),
    ("contribution_types", "contributiontype_id", "contributions"),
)
# n -> the row's field holding the sent_at of the person's (n + 1)-th newest inquiry: "asked at
# most n times since t" is "that inquiry is missing or older than t" (scoring.FREQUENCY_STEPS).
NEWEST = {0: "last_asked", 1: "asked_2nd", 3: "asked_4th"}
# The person's own fields copied as they are.
COPIED = (
    "municipality",
    "languages",
    "birth_year",
    "can_on_site",
    "can_digital",
    "max_assignments_per_month",
    "last_assignment_on",
)
# A save that changes none of these leaves the row as it is.
WATCHED = frozenset({"status", "erased_at", "training_completed_on", *COPIED})
CHUNK = 2000
# How many rows are in play (scoring.rows_in_play), counted once and kept until a row is written:
# counting 50,000 rows cost the shortlist 7-15 ms on every call. Forgotten by keep_people() and
# rebuild(), the only writers of a row's presence, training and limit (keep_asked() writes only
# the inquiry times).
IN_PLAY = KeptCounts("matching.in-play")


def bit(pk: int) -> int:
    return 1 << pk if 0 <= pk < MASK_BITS else 0


def _models(apps):
    apps = apps or django_apps
    return (
        apps.get_model("matching", "ShortlistRow"),
        apps.get_model("registry", "ExperienceResource"),
        apps.get_model("matching", "Inquiry"),
    )


def in_pool(resources):
    return resources.filter(status=ResourceStatus.ACTIVE, erased_at__isnull=True)


def keep_people(ids: Iterable[int], *, apps=None) -> None:
    """Writes (or removes) the rows of these people from the live tables: six queries for any number."""
    ids = sorted(set(ids))
    if not ids:
        return
    row_model, resource_model, inquiry_model = _models(apps)
    IN_PLAY.forget()
    with transaction.atomic(savepoint=False):
        # The rows are locked first, so two changes to one person at once are written one
        # after the other, the second from what the first committed.
        list(row_model.objects.select_for_update().filter(resource_id__in=ids).values_list("pk", flat=True))
        people = {
            row["pk"]: row
            for row in in_pool(resource_model.objects.filter(pk__in=ids)).values("pk", "training_completed_on", *COPIED)
        }
        row_model.objects.filter(resource_id__in=ids).exclude(resource_id__in=list(people)).delete()
        if not people:
            return
        masks = {pk: dict.fromkeys((mask for *_link, mask in LINKS), 0) for pk in people}
        for relation, column, mask in LINKS:
            through = resource_model._meta.get_field(relation).remote_field.through
            links = through.objects.filter(experienceresource_id__in=list(people)).values_list("experienceresource_id", column)
            for resource_id, pk in links:
                masks[resource_id][mask] |= bit(pk)
        newest = {pk: {} for pk in people}
        numbered = (
            inquiry_model.objects.filter(resource_id__in=list(people))
            .annotate(n=Window(RowNumber(), partition_by=[F("resource_id")], order_by=F("sent_at").desc()))
            .filter(n__lte=max(NEWEST) + 1)
            .values_list("resource_id", "n", "sent_at")
        )
        for resource_id, n, sent_at in numbered:
            newest[resource_id][n - 1] = sent_at
        rows = [
            row_model(
                resource_id=pk,
                trained=person["training_completed_on"] is not None,
                **{name: person[name] for name in COPIED},
                **masks[pk],
                **{field: newest[pk].get(n) for n, field in NEWEST.items()},
            )
            for pk, person in people.items()
        ]
        fields = ["trained", *COPIED, *(mask for *_link, mask in LINKS), *NEWEST.values()]
        row_model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["resource"], update_fields=fields)
        keep_limits(list(people), apps=apps)


def keep_limits(ids: Iterable[int], *, apps=None) -> None:
    """Writes the months at limit (MonthAtLimit) of these people from their kept rows' limits and
    their committed inquiries: five queries for any number. People without a row have none
    (the months go with the row)."""
    ids = sorted(set(ids))
    if not ids:
        return
    row_model, _resource_model, inquiry_model = _models(apps)
    month_model = (apps or django_apps).get_model("matching", "MonthAtLimit")
    with transaction.atomic(savepoint=False):
        limits = dict(
            row_model.objects.select_for_update()
            .filter(resource_id__in=ids, max_assignments_per_month__gte=1)
            .values_list("resource_id", "max_assignments_per_month")
        )
        counts = Counter()
        committed = inquiry_model.objects.filter(resource_id__in=list(limits), status__in=COMMITTED)
        for resource_id, starts_on, sent_at in committed.values_list("resource_id", "request__starts_on", "sent_at"):
            day = starts_on or timezone.localdate(sent_at)
            counts[resource_id, day.replace(day=1)] += 1
        month_model.objects.filter(resource_id__in=ids).delete()
        reached = [month_model(resource_id=pk, month=month) for (pk, month), n in counts.items() if n >= limits[pk]]
        month_model.objects.bulk_create(reached)


def keep_asked(resource_id: int) -> None:
    """After an inquiry to the person was made or deleted: their newest inquiries again (two queries)."""
    row_model, _resource_model, inquiry_model = _models(None)
    with transaction.atomic(savepoint=False):
        if not row_model.objects.select_for_update().filter(pk=resource_id).exists():
            return  # not in the pool: the row is written from scratch if they join it
        sent = inquiry_model.objects.filter(resource_id=resource_id).order_by("-sent_at").values("sent_at")
        row_model.objects.filter(pk=resource_id).update(**{field: Subquery(sent[n : n + 1]) for n, field in NEWEST.items()})


def rebuild(*, apps=None) -> int:
    """Every row afresh from the live tables (chunked); returns how many people are in the pool."""
    row_model, resource_model, _inquiry_model = _models(apps)
    IN_PLAY.forget()
    with transaction.atomic():
        row_model.objects.exclude(resource_id__in=in_pool(resource_model.objects.all()).values("pk")).delete()
        ids = list(in_pool(resource_model.objects.all()).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            keep_people(ids[start : start + CHUNK], apps=apps)
    return len(ids)


def rebuild_limits(*, apps=None) -> None:
    """Every person's months at limit afresh (chunked): for the migration that made them."""
    row_model, _resource_model, _inquiry_model = _models(apps)
    with transaction.atomic():
        ids = list(row_model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            keep_limits(ids[start : start + CHUNK], apps=apps)


def complete() -> bool:
    """Whether there is a row for each person in the pool, and none for anyone else (three counts)."""
    row_model, resource_model, _inquiry_model = _models(None)
    pool = in_pool(resource_model.objects.all())
    return row_model.objects.count() == pool.count() == row_model.objects.filter(resource__in=pool.values("pk")).count()


# --- receivers (connected in MatchingConfig.ready) -------------------------------------------


def on_resource_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or WATCHED & set(update_fields):
        keep_people([instance.pk])


def on_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:  # a taxonomy loses everyone: remember who
        instance._shortlist_people = list(
            sender.objects.filter(**{_other_column(sender): instance.pk}).values_list("experienceresource_id", flat=True)
        )
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            keep_people([instance.pk])
        elif action == "post_clear":
            keep_people(getattr(instance, "_shortlist_people", []))
        else:
            keep_people(pk_set or [])


def on_taxonomy_deleting(sender, instance, **kwargs):
    from registry.models import ExperienceResource

    for relation, column, _mask in LINKS:
        through = ExperienceResource._meta.get_field(relation).remote_field.through
        if through._meta.get_field(column.removesuffix("_id")).related_model is sender:
            instance._shortlist_people = list(
                through.objects.filter(**{column: instance.pk}).values_list("experienceresource_id", flat=True)
            )


def on_taxonomy_deleted(sender, instance, **kwargs):
    keep_people(getattr(instance, "_shortlist_people", []))


def on_inquiry_saved(sender, instance, created, update_fields=None, **kwargs):
    if created:
        keep_asked(instance.resource_id)
    # A status change (matching.services saves it by name) can start or end a month at the limit.
    if (instance.status in COMMITTED) if created else (update_fields is None or "status" in update_fields):
        keep_limits([instance.resource_id])


def on_inquiry_deleted(sender, instance, **kwargs):
    keep_asked(instance.resource_id)
    keep_limits([instance.resource_id])


def on_request_saved(sender, instance, created, update_fields=None, **kwargs):
    """A request's start moved: its yes-answers and choices now count in another month."""
    if not created and (update_fields is None or "starts_on" in update_fields):
        from matching.models import Inquiry

        keep_limits(Inquiry.objects.filter(request=instance, status__in=COMMITTED).values_list("resource_id", flat=True))


def on_assignment_done(sender, assignment, **kwargs):
    """The assignments app records the person's last assignment with QuerySet.update()."""
    keep_people([assignment.resource_id])


def _other_column(through) -> str:
    return next(column for _relation, column, _mask in LINKS if any(f.attname == column for f in through._meta.fields))


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from matching.models import Inquiry
    from registry.models import ContributionType, ExperienceArea, ExperienceResource, Perspective
    from requests_app.models import UnitRequest

    post_save.connect(on_resource_saved, sender=ExperienceResource, dispatch_uid="matching.keep.resource")
    for relation, _column, _mask in LINKS:
        through = getattr(ExperienceResource, relation).through
        m2m_changed.connect(on_links_changed, sender=through, dispatch_uid=f"matching.keep.{relation}")
    for taxonomy in (ExperienceArea, Perspective, ContributionType):
        pre_delete.connect(on_taxonomy_deleting, sender=taxonomy, dispatch_uid=f"matching.keep.{taxonomy.__name__}.pre")
        post_delete.connect(on_taxonomy_deleted, sender=taxonomy, dispatch_uid=f"matching.keep.{taxonomy.__name__}")
    post_save.connect(on_inquiry_saved, sender=Inquiry, dispatch_uid="matching.keep.inquiry")
    post_save.connect(on_request_saved, sender=UnitRequest, dispatch_uid="matching.keep.request")
    post_delete.connect(on_inquiry_deleted, sender=Inquiry, dispatch_uid="matching.keep.inquiry_deleted")
