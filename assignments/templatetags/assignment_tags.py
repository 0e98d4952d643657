from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def isodate(value: str, fmt: str = "l j F Y") -> str:
    """A date frozen into the agreement as ISO text, written the reader's way."""
    try:
        return date_format(date.fromisoformat(value), fmt)
    except (TypeError, ValueError):
        return value
