"""Helpers for pages that list many rows: a link per row at the cost of one `reverse()`, and
choice labels looked up once per page instead of once per row.

`reverse()` resolves the pattern and quotes the arguments on every call (about 0.1 ms): fifty
rows' links cost more than the rest of the row. Generic (nothing here is about assignments): it
could live in config/ beside choices.py.
"""

from collections.abc import Callable

from django.urls import reverse

_MARKER = 7_919_191_919_191  # a pk no table reaches, so it appears once in the reversed path


def url_by_pk(name: str, *args) -> Callable[[int], str]:
    """`lambda pk: reverse(name, args=[*args, pk])` for an `<int:…>` last argument, reversed once."""
    head, marker, tail = reverse(name, args=[*args, _MARKER]).partition(str(_MARKER))
    if not marker or str(_MARKER) in tail:
        raise ValueError(f"{name}: the marker must appear once in the path")
    return lambda pk: f"{head}{int(pk)}{tail}"


def labels(choices) -> dict[str, str]:
    """A TextChoices class's labels by value, translated once for this request's language."""
    return {value: str(label) for value, label in choices.choices}
