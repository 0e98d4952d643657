from django.db import models
from django.utils.translation import gettext_lazy as _


class RateKind(models.TextChoices):
    """The kinds of line a compensation model can have."""

    SESSION_FEE = "session_fee", _("Arvode per tillfälle")
    MILEAGE = "mileage", _("Milersättning (per kilometer)")
    PUBLIC_TRANSPORT = "public_transport", _("Kollektivtrafik mot kvitto")
    PARKING = "parking", _("Parkering mot kvitto")
    LOST_INCOME = "lost_income", _("Förlorad arbetsinkomst mot intyg")


class LineKind(models.TextChoices):
    """The kinds of computed line; each has its own pay code and ledger account."""

    FEE = "fee", _("Arvode")
    MILEAGE_TAX_FREE = "mileage_tax_free", _("Milersättning, skattefri")
    MILEAGE_TAXABLE = "mileage_taxable", _("Milersättning, skattepliktig")
    EXPENSE = "expense", _("Utlägg mot kvitto")
    LOST_INCOME = "lost_income", _("Förlorad arbetsinkomst")


# The taxable kinds: they count as income in the yearly statement.
TAXABLE_KINDS = frozenset({LineKind.FEE, LineKind.MILEAGE_TAXABLE, LineKind.LOST_INCOME})


class LineStatus(models.TextChoices):
    COMPUTED = "computed", _("Väntar på attest")
    APPROVED = "approved", _("Attesterad")


class ClaimKind(models.TextChoices):
    MILEAGE = "mileage", _("Egen bil")
    PUBLIC_TRANSPORT = "public_transport", _("Buss, tåg eller annan kollektivtrafik")
    PARKING = "parking", _("Parkering")
    LOST_INCOME = "lost_income", _("Förlorad arbetsinkomst")


# Which rate line a claim is paid from.
CLAIM_RATE = {
    ClaimKind.MILEAGE: RateKind.MILEAGE,
    ClaimKind.PUBLIC_TRANSPORT: RateKind.PUBLIC_TRANSPORT,
    ClaimKind.PARKING: RateKind.PARKING,
    ClaimKind.LOST_INCOME: RateKind.LOST_INCOME,
}


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Väntar på beslut")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")


class PaidVia(models.TextChoices):
    BANK = "bank", _("Till mitt bankkonto")
    PAYROLL_REGISTER = "payroll_register", _("Via lönesystemets eget register (jag är redan registrerad där)")


class TaxStatus(models.TextChoices):
    A_SKATT = "a", _("A-skatt: regionen drar skatt på arvodet")
    F_SKATT = "f", _("F-skatt: jag skickar faktura och betalar skatten själv")


class BatchStatus(models.TextChoices):
    CREATED = "created", _("Skapad")
    EXPORTED = "exported", _("Exporterad")
    PAID = "paid", _("Utbetald")


BATCH_TRANSITIONS = {
    BatchStatus.CREATED: frozenset({BatchStatus.EXPORTED}),
    BatchStatus.EXPORTED: frozenset({BatchStatus.PAID}),
    BatchStatus.PAID: frozenset(),
}
