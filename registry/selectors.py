from django.db.models import QuerySet

from registry.models import ExperienceResource


def resources_for_coordinators() -> QuerySet[ExperienceResource]:
    return ExperienceResource.objects.prefetch_related("areas", "perspectives")


def own_resource(user) -> ExperienceResource | None:
    return ExperienceResource.objects.filter(user=user).first()
