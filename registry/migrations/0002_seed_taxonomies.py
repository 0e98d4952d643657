from django.db import migrations
from django.utils.text import slugify

from registry.taxonomies import CONTRIBUTION_TYPES, EXPERIENCE_AREAS

PERSPECTIVES = ["patient", "relative", "service_user"]


def seed(apps, schema_editor):
    Perspective = apps.get_model("registry", "Perspective")
    ExperienceArea = apps.get_model("registry", "ExperienceArea")
    ContributionType = apps.get_model("registry", "ContributionType")
    for code in PERSPECTIVES:
        Perspective.objects.get_or_create(code=code)
    for i, name in enumerate(EXPERIENCE_AREAS):
        ExperienceArea.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": i})
    for i, name in enumerate(CONTRIBUTION_TYPES):
        ContributionType.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": i})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
