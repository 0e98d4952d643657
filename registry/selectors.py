from django.core.cache import cache
from django.db.models import QuerySet

from registry.models import ExperienceResource


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
