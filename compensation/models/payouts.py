"""Payout batches (utbetalningar) that finance creates and exports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compensation.enums import BatchStatus


class PayoutBatch(models.Model):
    reference = models.CharField(_("referens"), max_length=20, unique=True)
    period_start = models.DateField(_("från och med"))
    period_end = models.DateField(_("till och med"))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.CREATED)
    # Snapshot at creation: the files and the sums never depend on later changes.
    line_count = models.PositiveIntegerField(default=0)
    total_ore = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("utbetalning")
        verbose_name_plural = _("utbetalningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="batch_period_order"),
        ]

    def __str__(self):
        return self.reference


class BatchCostCentre(models.Model):
    """A batch's sum per cost centre and unit, written once when the batch is made.

    A batch's lines never change (corrections are new lines in a later batch), so these sums
    stay exact: the batch page and its files read a few hundred rows instead of adding up tens
    of thousands of lines on every view.
    """

    # Indexed by the unique constraint, which begins with the batch (and is the page's order).
    batch = models.ForeignKey(PayoutBatch, on_delete=models.CASCADE, related_name="cost_centres", db_index=False)
    cost_centre = models.CharField(_("kostnadsställe"), max_length=40)
    unit = models.ForeignKey("requests_app.CareUnit", on_delete=models.PROTECT, related_name="+")
    line_count = models.PositiveIntegerField(default=0)
    total_ore = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("summa per kostnadsställe")
        verbose_name_plural = _("summor per kostnadsställe")
        constraints = [
            models.UniqueConstraint(fields=["batch", "cost_centre", "unit"], name="batch_cost_centre_once"),
        ]

    def __str__(self):
        return f"{self.batch_id} {self.cost_centre}"
