"""The fee as promised: the agreement's fee text and the inquiry's fee line.

Both are priced by compensation.calculator with the planned length, the same functions that
compute the fee afterwards.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from compensation.calculator import Pricer, PricingError, price_sessions
from compensation.enums import RateKind
from compensation.models import NoFee
from compensation.money import format_kr, round_kronor

# The length a request's "half day" or "full day" stands for when no hours are given.
DURATION_HOURS = {"half_day": Decimal(4), "full_day": Decimal(8)}


def _extras(pricer: Pricer, model) -> list[str]:
    out = []
    for line in model.lines.all():
        if line.kind == RateKind.MILEAGE and line.amount is not None:
            out.append(_("Resa med egen bil: %(rate)s kr per kilometer.") % {"rate": str(line.amount).replace(".", ",")})
        elif line.kind in (RateKind.PUBLIC_TRANSPORT, RateKind.PARKING):
            out.append(_("%(label)s ersätts mot kvitto.") % {"label": line.label})
        elif line.kind == RateKind.LOST_INCOME and line.amount is not None:
            out.append(
                _("%(label)s ersätts mot intyg, högst %(cap)s per dag.")
                % {"label": line.label, "cap": format_kr(round_kronor(line.amount))}
            )
        elif line.kind == RateKind.LOST_INCOME:
            out.append(_("%(label)s ersätts mot intyg.") % {"label": line.label})
    return out


def agreement_fee_text(assignment) -> str:
    """For assignments.hooks.AGREEMENT_FEE: one line per session, then travel."""
    no_fee = NoFee.objects.filter(assignment=assignment).first()
    if no_fee is not None:
        return _("Inget arvode betalas: %(reason)s") % {"reason": no_fee.reason}
    sessions = list(assignment.sessions.all())
    if not sessions:
        return ""
    pricer = Pricer()
    try:
        priced = price_sessions(assignment, sessions, pricer, planned=True)
    except PricingError:
        return ""
    lines = [_("%(day)s: %(fee)s") % {"day": session.date.strftime("%Y-%m-%d"), "fee": p.explanation} for session, p in priced]
    model = priced[0][1].model
    if model.late_cancellation_percent:
        lines.append(
            _("Ställs ett tillfälle in sent betalas %(percent)s %% av arvodet.") % {"percent": model.late_cancellation_percent}
        )
    lines += _extras(pricer, model)
    return "\n".join(lines)


def fee_description(unit_request) -> str:
    """The fee line of an inquiry and on Mina sidor: what one session of this request pays."""
    hours = unit_request.hours or DURATION_HOURS.get(unit_request.duration)
    if not hours:
        return ""
    day = unit_request.starts_on or timezone.localdate()
    try:
        priced = Pricer().session_fee(day, Decimal(hours))
    except PricingError:
        return ""
    return _("Arvode per tillfälle: %(fee)s.") % {"fee": priced.explanation}
