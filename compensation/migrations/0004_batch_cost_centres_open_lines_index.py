"""Kept sums per batch and cost centre (filled here for the batches already made), and two indexes
for finance's list pages: a batch's people, and the open lines in page order."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Sum


def fill_cost_centres(apps, schema_editor):
    """One aggregate per batch; a batch's lines never change, so the sums stay exact."""
    FeeLine = apps.get_model("compensation", "FeeLine")
    PayoutBatch = apps.get_model("compensation", "PayoutBatch")
    BatchCostCentre = apps.get_model("compensation", "BatchCostCentre")
    for batch_id in PayoutBatch.objects.order_by("pk").values_list("pk", flat=True).iterator():
        sums = (
            FeeLine.objects.filter(batch_id=batch_id)
            .values("cost_centre", "unit_id")
            .annotate(lines=Count("pk"), total=Sum("amount_ore"))
            .order_by()
        )
        BatchCostCentre.objects.bulk_create(
            [
                BatchCostCentre(
                    batch_id=batch_id,
                    cost_centre=row["cost_centre"],
                    unit_id=row["unit_id"],
                    line_count=row["lines"],
                    total_ore=row["total"] or 0,
                )
                for row in sums
            ],
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("compensation", "0003_feeline_batch_indexes_h11"),
        ("requests_app", "0004_unit_join_requests_for_existing_units"),
    ]

    operations = [
        migrations.CreateModel(
            name="BatchCostCentre",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("cost_centre", models.CharField(max_length=40, verbose_name="kostnadsställe")),
                ("line_count", models.PositiveIntegerField(default=0)),
                ("total_ore", models.BigIntegerField(default=0)),
                (
                    "batch",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cost_centres",
                        to="compensation.payoutbatch",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="requests_app.careunit"
                    ),
                ),
            ],
            options={
                "verbose_name": "summa per kostnadsställe",
                "verbose_name_plural": "summor per kostnadsställe",
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "cost_centre", "unit"), name="batch_cost_centre_once")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="feeline",
            index=models.Index(fields=["batch", "resource"], name="feeline_batch_person"),
        ),
        migrations.AddIndex(
            model_name="feeline",
            index=models.Index(
                condition=models.Q(("batch__isnull", True), ("status", "approved")),
                fields=["cost_centre", "unit", "resource", "on_date"],
                include=("amount_ore",),
                name="feeline_open_by_centre",
            ),
        ),
        migrations.RunPython(fill_cost_centres, migrations.RunPython.noop),
    ]
