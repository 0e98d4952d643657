"""Computed fee lines, "no fee" marks and the person's travel claims."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment, Session
from compensation.enums import ClaimKind, ClaimStatus, LineKind, LineStatus
from compensation.models.rates import CompensationModel
from registry.models import ExperienceResource
from requests_app.models import CareUnit


class NoFee(models.Model):
    """An assignment without fee, e.g. the person takes part in their working time."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="no_fee")
    reason = models.TextField(_("skäl"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inget arvode")
        verbose_name_plural = _("inget arvode")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="no_fee_has_reason")]

    def __str__(self):
        return f"{self.assignment}: {self.reason}"


class FrozenLine(Exception):
    pass


class FeeLine(models.Model):
    """One amount owed to one person, with the words that explain it.

    Computed once (on assignment_done, or when a claim is approved) from the model valid on
    the day; the amount and its explanation are stored, so a later rate change never alters
    it. Once in a batch a line is never changed or deleted: a mistake is put right by a
    reversing line (negative amount, `reverses`) in a later batch. `batch` is one column, so a
    line can be in at most one batch; batches take lines with `UPDATE … WHERE batch_id IS
    NULL`, which the database serialises per row.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="fee_lines")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="fee_lines")
    # Indexed only where set (feeline_claim): most lines come from no claim.
    claim = models.ForeignKey(
        "TravelClaim", null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    # No index of its own: feeline_person (resource, on_date) serves every look-up by person.
    # Each index costs every batch: taking a line into a batch writes a new entry in all of them.
    resource = models.ForeignKey(ExperienceResource, on_delete=models.PROTECT, related_name="fee_lines", db_index=False)
    unit = models.ForeignKey(CareUnit, on_delete=models.PROTECT, related_name="fee_lines")
    # The unit's cost centre when the line was computed (the unit's may change later).
    cost_centre = models.CharField(_("kostnadsställe"), max_length=40)
    rate_model = models.ForeignKey(CompensationModel, null=True, blank=True, on_delete=models.PROTECT, related_name="fee_lines")
    kind = models.CharField(_("slag"), max_length=20, choices=LineKind.choices)
    # No index of its own: unbatched lines are found by feeline_payable, a person's by
    # feeline_person; reports read whole years, which a scan does as well.
    on_date = models.DateField(_("datum"))
    quantity = models.DecimalField(_("antal"), max_digits=10, decimal_places=2, default=1)
    amount_ore = models.BigIntegerField(_("belopp i öre"))
    explanation = models.TextField(_("hur det räknades"))
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.COMPUTED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Indexed together with the id below (feeline_batch_order), so a batch's lines are read in
    # order without sorting a million rows.
    batch = models.ForeignKey(
        "PayoutBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.TextField(_("skäl till rättelse"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ersättningsrad")
        verbose_name_plural = _("ersättningsrader")
        ordering = ["on_date", "pk"]
        indexes = [
            # Only lines not yet in a batch: small, and a line taken into a batch leaves it
            # instead of adding an entry.
            models.Index(fields=["status", "on_date"], condition=Q(batch__isnull=True), name="feeline_payable"),
            models.Index(fields=["resource", "on_date"], name="feeline_person"),
            models.Index(fields=["batch", "id"], name="feeline_batch_order"),
            # A batch's people in order, read from the index alone: who lacks payee details (a
            # merge with the payees' own index) and the payroll files' people.
            models.Index(fields=["batch", "resource"], name="feeline_batch_person"),
            # Attested open lines in the order finance's list pages them (cost centre, unit,
            # person, date): a page reads its own lines only, not every open line. Partial, like
            # feeline_payable: a line taken into a batch adds no entry.
            models.Index(
                fields=["cost_centre", "unit", "resource", "on_date"],
                include=["amount_ore"],  # the total of all open lines from the index alone (PostgreSQL)
                condition=Q(batch__isnull=True, status=LineStatus.APPROVED),
                name="feeline_open_by_centre",
            ),
            models.Index(fields=["claim"], condition=Q(claim__isnull=False), name="feeline_claim"),
        ]
        constraints = [
            # A session is priced once per kind, whatever happens to the signal.
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=Q(claim__isnull=True, reverses__isnull=True, session__isnull=False),
                name="feeline_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["claim", "kind"],
                condition=Q(claim__isnull=False, reverses__isnull=True),
                name="feeline_once_per_claim",
            ),
            models.CheckConstraint(condition=Q(reverses__isnull=True) | ~Q(reason=""), name="feeline_reversal_has_reason"),
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.kind} {self.amount_ore}"

    def save(self, *args, **kwargs):
        if self.pk is not None and FeeLine.objects.filter(pk=self.pk, batch__isnull=False).exists():
            raise FrozenLine("A line in a payout batch is never changed; add a reversing line instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.batch_id is not None:
            raise FrozenLine("A line in a payout batch is never deleted; add a reversing line instead.")
        return super().delete(*args, **kwargs)


class TravelClaim(models.Model):
    """The person's claim for travel, parking or lost income on one session's day."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="travel_claims")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="travel_claims", verbose_name=_("tillfälle"))
    resource = models.ForeignKey(ExperienceResource, on_delete=models.PROTECT, related_name="travel_claims")
    kind = models.CharField(_("vad gäller det?"), max_length=20, choices=ClaimKind.choices)
    kilometres = models.DecimalField(_("antal kilometer, tur och retur"), max_digits=6, decimal_places=1, null=True, blank=True)
    from_place = models.CharField(_("från"), max_length=200, blank=True)
    to_place = models.CharField(_("till"), max_length=200, blank=True)
    amount = models.DecimalField(_("belopp i kronor"), max_digits=10, decimal_places=2, null=True, blank=True)
    receipt = models.FileField(_("kvitto eller intyg"), upload_to="compensation/receipts/%Y/", blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("skäl"), blank=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reseräkning")
        verbose_name_plural = _("reseräkningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REJECTED) | ~Q(decision_reason=""), name="rejected_claim_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.session}"

    def clean(self):
        super().clean()
        if self.kind == ClaimKind.MILEAGE and (not self.kilometres or not self.from_place or not self.to_place):
            raise ValidationError(_("Skriv antal kilometer, varifrån och vart du åkte."))
