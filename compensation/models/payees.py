"""Payee details (utbetalningsuppgifter): kept only here, apart from the health profile."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from compensation.enums import PaidVia, TaxStatus
from compensation.fields import PayoutEncryptedCharField
from registry.models import ExperienceResource


def mask(value: str, keep: int = 2) -> str:
    """'197010632391' -> '••••••••••91': enough to recognise, never enough to use."""
    value = value or ""
    if not value:
        return ""
    return "•" * max(len(value) - keep, 0) + value[-keep:]


class Payee(models.Model):
    resource = models.OneToOneField(ExperienceResource, on_delete=models.CASCADE, related_name="payee")
    legal_name = models.CharField(_("för- och efternamn"), max_length=200)
    # Encrypted at rest (see compensation/fields.py); 12 digits, validated by the form.
    personnummer = PayoutEncryptedCharField(_("personnummer eller samordningsnummer"), max_length=12)
    street = models.CharField(_("gatuadress"), max_length=200)
    postal_code = models.CharField(_("postnummer"), max_length=6)
    city = models.CharField(_("ort"), max_length=100)
    paid_via = models.CharField(_("hur vill du få pengarna?"), max_length=20, choices=PaidVia.choices, default=PaidVia.BANK)
    clearing_number = PayoutEncryptedCharField(_("clearingnummer"), max_length=5, blank=True)
    bank_account = PayoutEncryptedCharField(_("kontonummer"), max_length=15, blank=True)
    tax_status = models.CharField(_("skatt"), max_length=1, choices=TaxStatus.choices, default=TaxStatus.A_SKATT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("utbetalningsuppgifter")
        verbose_name_plural = _("utbetalningsuppgifter")

    def __str__(self):
        return f"{self.legal_name} ({self.masked_personnummer})"

    @property
    def masked_personnummer(self) -> str:
        value = self.personnummer or ""
        return f"{'•' * 8}-••{value[-2:]}" if value else ""

    @property
    def masked_account(self) -> str:
        if self.paid_via == PaidVia.PAYROLL_REGISTER:
            return str(PaidVia.PAYROLL_REGISTER.label)
        return mask(self.bank_account, keep=2)
