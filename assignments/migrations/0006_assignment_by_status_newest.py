# The coordinators' list filtered by state, newest first (at national scale "done" is 1.9 million
# rows under the newest active ones): (status, -created_at, -id) instead of (status, created_at).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0005_assignment_by_person_hpool"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="assignment",
            name="assignments_status_d88c32_idx",
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["status", "-created_at", "-id"], name="assignment_by_status_newest"),
        ),
    ]
