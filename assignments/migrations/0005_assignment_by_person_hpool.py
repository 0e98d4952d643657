# A person's assignments, newest first (the person's page at national scale).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_assignment_newest_first_hbench"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["resource", "-created_at", "-id"], name="assignment_by_person"),
        ),
    ]
