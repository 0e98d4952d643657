from django import template
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def when(unit_request) -> str:
    """When the work is, in words: the whole wanted period, and the unit's note about it
    set apart: "12 januari 2027 - 13 januari 2027 (två eftermiddagar)" (with an en dash)."""
    start, end, note = unit_request.starts_on, unit_request.ends_on, unit_request.dates_note.strip()
    period = ""
    if start:
        period = date_format(start, "j F Y")
        if end and end != start:
            period = _("%(start)s – %(end)s") % {"start": period, "end": date_format(end, "j F Y")}
    if period and note:
        return _("%(period)s (%(note)s)") % {"period": period, "note": note}
    return period or note or _("inte bestämt ännu")


@register.filter(expects_localtime=True)
def long_date(value) -> str:
    """ "13 december 2026", as `date:"j F Y"` writes it, for the board's 150 dates a page:
    the date filter parses its format string on every call. Empty for no date."""
    if not value:
        return ""
    return f"{value.day} {MONTHS[value.month]} {value.year}"
