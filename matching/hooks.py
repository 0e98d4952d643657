"""Seams where a later app changes what matching says, without matching knowing that app.

`FEE_DESCRIPTION`: callables `(unit_request) -> str` that describe the fee for a request,
e.g. "1 200 kr för en halvdag". The compensation app appends one in its
`AppConfig.ready()`; the first non-empty answer is used, and without one the line says
which kind of fee applies. It is shown in the inquiry mail, the answer page and *Mina sidor*.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from requests_app.enums import Duration
from requests_app.models import UnitRequest

FEE_DESCRIPTION: list[Callable[[UnitRequest], str]] = []


def fee_description(unit_request: UnitRequest) -> str:
    for describe in FEE_DESCRIPTION:
        text = describe(unit_request)
        if text:
            return text
    return fee_type(unit_request)


def fee_type(unit_request: UnitRequest) -> str:
    """Which fee applies, before the region's amounts are known to the app."""
    if unit_request.duration == Duration.FULL_DAY:
        return _("arvode för heldag enligt regionens ersättningsmodell")
    if unit_request.duration == Duration.HALF_DAY:
        return _("arvode för halvdag enligt regionens ersättningsmodell")
    return _("arvode per timme enligt regionens ersättningsmodell")
