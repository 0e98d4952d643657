"""The agreement (överenskommelse), its versions, signatures and the sealed PDF."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assignments.enums import Party
from assignments.models.assignments import Assignment


class AgreementTemplate(models.Model):
    """The standard clauses, versioned: an edit is a new row; an agreement records the version it used."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    cancellation = models.TextField(_("så avbokar man"))
    confidentiality = models.TextField(_("tystnadsplikt"))
    personal_data = models.TextField(_("så hanteras personuppgifter"))
    support = models.TextField(_("stöd under uppdraget"))
    other = models.TextField(_("övriga villkor"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mall för överenskommelse")
        verbose_name_plural = _("mallar för överenskommelse")
        ordering = ["-version"]

    def __str__(self):
        return str(_("Mall version %(version)s") % {"version": self.version})


class Agreement(models.Model):
    """One version of an assignment's agreement. The content is frozen; a change makes a new version
    and voids the earlier one's signatures. Versions are never deleted."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField(_("version"))
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="agreements")
    # Everything the parties read, as it was when this version was made (parties, sessions,
    # clauses, fee text). The hash is over its canonical JSON; signatures record the hash shown.
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)  # when the last party signed
    # Claimed by the reminder sweep for this version, so the reminder to sign goes out once.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("överenskommelse")
        verbose_name_plural = _("överenskommelser")
        ordering = ["assignment", "-version"]
        constraints = [models.UniqueConstraint(fields=["assignment", "version"], name="one_agreement_per_version")]

    def __str__(self):
        return f"{self.assignment.reference} v{self.version}"


class Signature(models.Model):
    """One party's signature on one version, with the hash of exactly what was shown."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(_("part"), max_length=12, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("namn"), max_length=200)
    signed_at = models.DateTimeField(_("undertecknad"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    method = models.CharField(_("metod"), max_length=40)
    content_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["signed_at"]
        # A double click signs once.
        constraints = [models.UniqueConstraint(fields=["agreement", "party"], name="one_signature_per_party")]

    def __str__(self):
        return f"{self.agreement_id}:{self.party}"


class SigningCode(models.Model):
    """A one-time code sent by e-mail for signing (step-up). Only its hash is stored."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.user_id}@{self.agreement_id}"


class AgreementDocument(models.Model):
    """The PDF, rendered once when the last party signed, sealed, never rendered again."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="document")
    # Printed on the PDF and typed on the public verification page.
    reference = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to="agreements/%Y/")
    sha256 = models.CharField(max_length=64, unique=True)
    rendered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("underskriven överenskommelse (PDF)")
        verbose_name_plural = _("underskrivna överenskommelser (PDF)")

    def __str__(self):
        return self.reference
