"""Dated compensation models (ersättningsmodell) and the prisbasbelopp table."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compensation.enums import RateKind


class PriceBaseAmount(models.Model):
    """Prisbasbelopp per year, set by the government; administrators add next year's."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    amount = models.PositiveIntegerField(_("prisbasbelopp i kronor"))

    class Meta:
        verbose_name = _("prisbasbelopp")
        verbose_name_plural = _("prisbasbelopp")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.amount} kr"


class CompensationModel(models.Model):
    """One version of the region's compensation model, valid from a date (until the next one).

    Once a fee was computed from it, it is frozen: a change is a new version from a later date.
    Only the end date may then be set, and never before a session it already priced.
    """

    name = models.CharField(_("namn"), max_length=100, help_text=_("Visas i förklaringen, t.ex. ”ersättningsmodell 2026”."))
    valid_from = models.DateField(_("gäller från och med"))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True, help_text=_("Tomt: tills vidare."))
    preparation_counts = models.BooleanField(
        _("förberedelsetid räknas in i tiden"),
        default=False,
        help_text=_("Förberedelsetiden i överenskommelsen läggs till det första tillfället som ger arvode."),
    )
    late_cancellation_percent = models.PositiveSmallIntegerField(
        _("sent inställt: andel av arvodet i procent"),
        default=100,
        validators=[MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ersättningsmodell")
        verbose_name_plural = _("ersättningsmodeller")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="compensation_model_until_after_from",
            ),
            models.UniqueConstraint(fields=["valid_from"], name="compensation_model_one_per_start"),
        ]

    def __str__(self):
        return self.name

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def overlapping(self):
        """Other versions whose dates overlap this one's."""
        others = CompensationModel.objects.exclude(pk=self.pk)
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        return others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))

    @property
    def is_frozen(self) -> bool:
        return self.pk is not None and self.fee_lines.exists()

    def clean(self):
        super().clean()
        ordered = self.valid_from and (self.valid_until is None or self.valid_until >= self.valid_from)
        if ordered and (clash := self.overlapping().first()):
            raise ValidationError(
                _("Datumen överlappar %(other)s. Sätt ett slutdatum på den versionen först, eller välj ett senare datum.")
                % {"other": clash.name}
            )
        if self.is_frozen:
            stored = CompensationModel.objects.get(pk=self.pk)
            changed = [
                f
                for f in ("name", "valid_from", "preparation_counts", "late_cancellation_percent")
                if getattr(stored, f) != getattr(self, f)
            ]
            if changed:
                raise ValidationError(
                    _("Arvoden har redan räknats fram enligt den här modellen. Gör en ny version från ett senare datum.")
                )
            last = self.fee_lines.aggregate(last=models.Max("on_date"))["last"]
            if self.valid_until is not None and last is not None and self.valid_until < last:
                raise ValidationError(
                    {
                        "valid_until": _("Slutdatumet kan inte vara före %(day)s: arvoden för den dagen har räknats fram.")
                        % {"day": last}
                    }
                )


class RateLine(models.Model):
    """One line of a model: a fee band, mileage, receipts or lost income.

    A fee band covers sessions up to `up_to_hours` (inclusive; empty = every longer session);
    its amount is in kronor or a percentage of the prisbasbelopp of the session's year, per
    session or per hour.
    """

    model = models.ForeignKey(CompensationModel, on_delete=models.CASCADE, related_name="lines", verbose_name=_("modell"))
    kind = models.CharField(_("slag"), max_length=20, choices=RateKind.choices)
    label = models.CharField(_("benämning"), max_length=100, help_text=_("T.ex. ”Heldag, över 4 timmar”."))
    up_to_hours = models.DecimalField(
        _("upp till och med timmar"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Bara för arvode. Tomt: alla längre tillfällen."),
    )
    per_hour = models.BooleanField(_("per timme"), default=False, help_text=_("Bara för arvode: beloppet gäller per timme."))
    amount = models.DecimalField(
        _("belopp i kronor"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Milersättning: kronor per kilometer. Kvitton och förlorad inkomst: högsta belopp (per dag); tomt = inget tak."
        ),
    )
    pbb_percent = models.DecimalField(
        _("andel av prisbasbeloppet i procent"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    tax_free_per_km = models.DecimalField(
        _("skattefritt per kilometer"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("2.50"),
        help_text=_("Skatteverkets skattefria del (25 kr per mil = 2,50 kr per km). Bara för milersättning."),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("rad i ersättningsmodellen")
        verbose_name_plural = _("rader i ersättningsmodellen")
        ordering = ["model", "kind", "position", "up_to_hours", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(pbb_percent__isnull=True), name="rate_line_amount_or_share"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.kind in (RateKind.SESSION_FEE, RateKind.MILEAGE) and self.amount is None and self.pbb_percent is None:
            raise ValidationError(_("Ange ett belopp eller en andel av prisbasbeloppet."))
        if self.amount is not None and self.pbb_percent is not None:
            raise ValidationError(_("Ange antingen ett belopp eller en andel av prisbasbeloppet, inte båda."))
        if self.kind == RateKind.MILEAGE and self.pbb_percent is not None:
            raise ValidationError(_("Milersättning anges i kronor per kilometer."))
