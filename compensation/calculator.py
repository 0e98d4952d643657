"""How much, and why: one definition gives the amount and the words that explain it.

Every priced line comes out of a function here as a `Priced` (kind, quantity, öre, text).
The fee services store it; the agreement's fee text and the inquiry's fee line call the very
same functions with the planned length, so what the person was promised and what they are
paid cannot drift apart. A property test holds amount and explanation together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.enums import PAID_OUTCOMES, SessionOutcome
from compensation.enums import LineKind, RateKind
from compensation.models import CompensationModel, PriceBaseAmount, RateLine
from compensation.money import format_kr, format_number, round_kronor


class PricingError(Exception):
    """No model or no prisbasbelopp for a day; the message is for coordinators."""


@dataclass(frozen=True)
class Priced:
    kind: str
    quantity: Decimal
    amount_ore: int
    explanation: str
    model: CompensationModel


def hours_text(hours: Decimal) -> str:
    n = format_number(hours)
    return ngettext("%(n)s timme", "%(n)s timmar", 1 if hours == 1 else 2) % {"n": n}


def percent_text(value: Decimal) -> str:
    return f"{format_number(value)}\u00a0%"


class Pricer:
    """Looks up models and prisbasbelopp once, then prices any number of sessions and claims."""

    def __init__(self):
        self.models = list(CompensationModel.objects.prefetch_related("lines").order_by("valid_from"))
        self.pbb = dict(PriceBaseAmount.objects.values_list("year", "amount"))

    def model_on(self, day: date) -> CompensationModel:
        for model in self.models:
            if model.covers(day):
                return model
        raise PricingError(_("Det finns ingen ersättningsmodell som gäller %(day)s.") % {"day": day.isoformat()})

    def base_amount(self, year: int) -> int:
        if year not in self.pbb:
            raise PricingError(_("Prisbasbeloppet för %(year)s saknas.") % {"year": year})
        return self.pbb[year]

    @staticmethod
    def lines_of(model: CompensationModel, kind: str) -> list[RateLine]:
        return [line for line in model.lines.all() if line.kind == kind]

    # --- fees per session ----------------------------------------------------------------

    def band(self, model: CompensationModel, length: Decimal) -> RateLine:
        bands = sorted(
            self.lines_of(model, RateKind.SESSION_FEE),
            key=lambda b: (b.up_to_hours is None, b.up_to_hours or 0, b.position),
        )
        for band in bands:
            if band.up_to_hours is None or length <= band.up_to_hours:
                return band
        raise PricingError(_("%(model)s har inget arvode för %(hours)s.") % {"model": model.name, "hours": hours_text(length)})

    def session_fee(
        self,
        day: date,
        hours: Decimal,
        *,
        preparation_hours: Decimal = Decimal(0),
        late_cancelled: bool = False,
    ) -> Priced:
        model = self.model_on(day)
        preparation = preparation_hours if model.preparation_counts else Decimal(0)
        length = Decimal(hours) + preparation
        band = self.band(model, length)

        if band.pbb_percent is not None:
            pbb = self.base_amount(day.year)
            unit_kr = Decimal(pbb) * band.pbb_percent / 100
            how = _("%(percent)s av prisbasbeloppet %(year)s (%(pbb)s)") % {
                "percent": percent_text(band.pbb_percent),
                "year": day.year,
                "pbb": format_kr(pbb * 100),
            }
        else:
            unit_kr = band.amount
            how = format_kr(round_kronor(unit_kr)) if unit_kr == unit_kr.to_integral() else f"{format_number(unit_kr)}\u00a0kr"
        amount_kr = unit_kr * length if band.per_hour else unit_kr
        if band.per_hour:
            how = _("%(hours)s × %(rate)s") % {"hours": hours_text(length), "rate": how}
        if late_cancelled:
            amount_kr = amount_kr * model.late_cancellation_percent / 100
            how = _("%(percent)s av %(how)s") % {"percent": percent_text(Decimal(model.late_cancellation_percent)), "how": how}
        amount = round_kronor(amount_kr)
        calculation = format_kr(amount) if how == format_kr(amount) else f"{how} = {format_kr(amount)}"

        label = band.label
        if preparation:
            label = _("%(label)s (%(hours)s + %(prep)s förberedelse)") % {
                "label": label,
                "hours": hours_text(Decimal(hours)),
                "prep": hours_text(preparation),
            }
        if late_cancelled:
            label = _("Inställt sent. %(label)s") % {"label": label}
        text = _("%(label)s: %(calculation)s enligt %(model)s") % {
            "label": label,
            "calculation": calculation,
            "model": model.name,
        }
        return Priced(LineKind.FEE, length, amount, text, model)

    # --- travel and lost income ----------------------------------------------------------

    def mileage(self, day: date, kilometres: Decimal, route: str = "") -> list[Priced]:
        """Two lines: the tax-free part (Skatteverket's 25 kr per mil) and the taxable rest."""
        model = self.model_on(day)
        lines = self.lines_of(model, RateKind.MILEAGE)
        if not lines:
            raise PricingError(_("%(model)s ger ingen milersättning.") % {"model": model.name})
        line = lines[0]
        km = Decimal(kilometres)
        total = round_kronor(km * line.amount)
        free_rate = min(line.amount, line.tax_free_per_km)
        free = round_kronor(km * free_rate)
        where = f" ({route})" if route else ""
        priced = [
            Priced(
                LineKind.MILEAGE_TAX_FREE,
                km,
                free,
                _("Milersättning%(where)s, skattefri del: %(km)s km × %(rate)s kr = %(amount)s enligt %(model)s")
                % {
                    "where": where,
                    "km": format_number(km),
                    "rate": format_number(free_rate),
                    "amount": format_kr(free),
                    "model": model.name,
                },
                model,
            )
        ]
        if total > free:
            priced.append(
                Priced(
                    LineKind.MILEAGE_TAXABLE,
                    km,
                    total - free,
                    _(
                        "Milersättning%(where)s, skattepliktig del över %(free)s kr per km: "
                        "%(km)s km × %(rate)s kr = %(total)s, minus skattefria %(free_amount)s = %(amount)s enligt %(model)s"
                    )
                    % {
                        "where": where,
                        "free": format_number(free_rate),
                        "km": format_number(km),
                        "rate": format_number(line.amount),
                        "total": format_kr(total),
                        "free_amount": format_kr(free),
                        "amount": format_kr(total - free),
                        "model": model.name,
                    },
                    model,
                )
            )
        return priced

    def against_receipt(self, day: date, rate_kind: str, amount_kr: Decimal, *, already_ore: int = 0) -> Priced:
        """Public transport, parking (LineKind.EXPENSE) or lost income, up to the model's cap per day.

        The cap is per calendar day, not per claim: `already_ore` is what the person's other
        claims of the same kind were already paid for that day (two sessions on one day share
        one cap), and only the rest of the cap is left for this claim.
        """
        model = self.model_on(day)
        lines = self.lines_of(model, rate_kind)
        if not lines:
            raise PricingError(_("%(model)s ersätter inte detta.") % {"model": model.name})
        line = lines[0]
        claimed = round_kronor(Decimal(amount_kr))
        kind = LineKind.LOST_INCOME if rate_kind == RateKind.LOST_INCOME else LineKind.EXPENSE
        if line.amount is None:
            capped = claimed
        else:
            cap = round_kronor(line.amount)
            capped = max(0, min(claimed, cap - max(already_ore, 0)))
        words = {"label": line.label, "claimed": format_kr(claimed), "amount": format_kr(capped), "model": model.name}
        if capped < claimed and already_ore > 0:
            text = _(
                "%(label)s: %(claimed)s; högst %(cap)s per dag, varav %(already)s redan ersatt samma dag "
                "= %(amount)s enligt %(model)s"
            ) % {**words, "cap": format_kr(cap), "already": format_kr(already_ore)}
        elif capped < claimed:
            text = _("%(label)s: %(claimed)s, högst %(cap)s per dag = %(amount)s enligt %(model)s") % {
                **words,
                "cap": format_kr(cap),
            }
        else:
            text = _("%(label)s: %(amount)s enligt %(model)s") % words
        return Priced(kind, Decimal(1), capped, text, model)


def price_sessions(assignment, sessions, pricer: Pricer | None = None, *, planned: bool = False) -> list[tuple]:
    """(session, Priced) for each paid session. `planned` prices the agreement (before anything happened).

    The agreement's preparation time is added to the first session that is held (never to a
    late-cancelled one: nothing was prepared for nothing), if the model says it counts.
    """
    pricer = pricer or Pricer()
    out = []
    preparation = assignment.preparation_hours or 0
    for session in sessions:
        late = not planned and session.outcome == SessionOutcome.LATE_CANCELLED
        if not planned and session.outcome not in PAID_OUTCOMES:
            continue
        hours = session.planned_hours if (planned or late) else session.held_hours
        priced = pricer.session_fee(session.date, hours, preparation_hours=0 if late else preparation, late_cancelled=late)
        if not late and preparation:
            preparation = 0
        out.append((session, priced))
    return out
