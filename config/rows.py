"""Plain values for the rows of a list page, worked out once in Python rather than per row in
the template: a list of fifty rows called `{% url %}` fifty times (each a resolver lookup) and
`date:"j F Y"` a hundred times (each parses its format string and looks up a month name)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

# A number no path of ours holds, reversed in the place of an id.
_STAND_IN = 987654321987654321


def long_date(value: date | datetime | None) -> str:
    """ "13 december 2026", as `date:"j F Y"` writes it (a datetime in local time, as the
    template does); "" for no date."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def url_for_id(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for many ids, the URL resolver asked once: the address
    with a stand-in id, split where the id goes. For a URL whose only argument is an `<int:pk>`."""
    head, tail = reverse(viewname, args=[_STAND_IN]).split(str(_STAND_IN))
    return lambda pk: f"{head}{int(pk)}{tail}"
