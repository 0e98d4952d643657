"""Statistical disclosure control: the one rule for every figure shown, exported or printed.

A figure that describes fewer than THRESHOLD people (but more than none) is never shown as its
number, only as "färre än 5". Ratios, medians and averages computed from fewer than THRESHOLD
people are withheld the same way. Every page, CSV and PDF goes through `shown()`.
"""

from django.utils.translation import gettext as _

THRESHOLD = 5


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


def suppressed_label() -> str:
    return _("färre än %(n)s") % {"n": THRESHOLD}


def shown(value, *, base: int | None = None):
    """The value as it may be published. `base` is how many people a derived value (a share, a
    median) rests on; without it the value itself is taken to be a count of people."""
    if value is None:
        return "–"
    if base is None and not isinstance(value, int):
        return value  # a word or a label, not a count
    count = value if base is None else base
    if is_small(count):
        return suppressed_label()
    return value
