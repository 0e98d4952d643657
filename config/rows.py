"""The rows of a list page, worked out in Python rather than per row in the template.

A list of fifty rows called `{% url %}` fifty times (each a resolver lookup), `date:"j F Y"` a
hundred times (each parses its format string and looks up a month name), and resolved, localized
and escaped four to five hundred variables: 3-5 ms of a page. Here the values are worked out
once (`long_dates`, `url_for_id`), and `rows_html` writes each row from a pattern, every value
escaped as the template's autoescape does (`html.escape`, which is what Django's `escape` calls).
The table around the rows (caption, headers, the row for no rows) stays in the template.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from html import escape

from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

# A number no path of ours holds, reversed in the place of an id.
_STAND_IN = 987654321987654321


def long_date(value: date | datetime | None) -> str:
    """ "13 december 2026", as `date:"j F Y"` writes it (a datetime in local time, as the
    template does); "" for no date."""
    return long_dates()(value)


def long_dates() -> Callable[[date | datetime | None], str]:
    """`long_date` for the many dates of a page: the language, its month names and the time zone
    looked up once (each lookup reads the request's context-local state)."""
    months, zone = _month_names(get_language()), timezone.get_current_timezone()

    def write(value: date | datetime | None) -> str:
        if not value:
            return ""
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = value.astimezone(zone)  # timezone.localtime
        return f"{value.day} {months[value.month]} {value.year}"

    return write


@functools.cache
def _month_names(language: str | None) -> dict[int, str]:
    # MONTHS' names are lazy: each str() is a catalogue lookup. Once per language instead.
    with translation.override(language):
        return {number: str(name) for number, name in MONTHS.items()}


def url_for_id(viewname: str, *args) -> Callable[[int], str]:
    """`reverse(viewname, args=[*args, pk])` for many ids, the URL resolver asked once: the address
    with a stand-in id, split where the id goes. For a URL whose last argument is an `<int:…>`."""
    head, stand_in, tail = reverse(viewname, args=[*args, _STAND_IN]).partition(str(_STAND_IN))
    if not stand_in or str(_STAND_IN) in tail:
        raise ValueError(f"{viewname}: the stand-in id must appear once in the path")
    return lambda pk: f"{head}{int(pk)}{tail}"


class _Escaped:
    """A row seen by str.format_map: each value HTML-escaped as a template's `{{ }}` would
    (`html.escape`, which Django's `escape` calls, without its lazy-string handling), unless
    marked safe (markup made with format_html or by another pattern); only the values the
    pattern uses are escaped."""

    __slots__ = ("row",)

    def __init__(self, row: Mapping):
        self.row = row

    def __getitem__(self, key):
        value = self.row[key]
        return value if isinstance(value, SafeData) else escape(str(value))


def rows_html(pattern: str, rows: Iterable[Mapping]) -> SafeString:
    """Each row's values put into `pattern` (str.format fields: `<td>{name}</td>`), escaped
    unless marked safe, as a `{% for %}` over a row template would write them."""
    return mark_safe("".join(pattern.format_map(_Escaped(row)) for row in rows))  # escaped


def linked_ids(model, relations: Sequence[str], ids: Sequence[int]) -> dict[str, dict[int, list[int]]]:
    """For each many-to-many field named in `relations` (e.g. a person's "perspectives" and
    "areas"), the ids each of the rows `ids` links to: `{relation: {row id: [linked ids]}}`, in no
    particular order. One query of plain SQL over the link tables (the ORM's union of one
    queryset per relation cost more to build than to run); none for no ids."""
    found: dict[str, dict[int, list[int]]] = {relation: {} for relation in relations}
    if not ids:
        return found
    # The ids are written into the SQL as whole numbers (int() of each): psycopg parses a query
    # with more than 50 parameters anew on every call.
    numbers = ", ".join(str(int(pk)) for pk in ids)
    with connection.cursor() as cursor:
        cursor.execute(_links_sql(model, tuple(relations)).replace("{ids}", numbers))
        for row, item, n in cursor.fetchall():
            found[relations[n]].setdefault(row, []).append(item)
    return found


@functools.lru_cache(maxsize=64)
def _links_sql(model, relations: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    parts = []
    for n, relation in enumerate(relations):
        field = model._meta.get_field(relation)
        table, own, other = field.remote_field.through._meta.db_table, field.m2m_column_name(), field.m2m_reverse_name()
        # Names from the models, quoted; "{ids}" is replaced by whole numbers.
        parts.append(f"SELECT {quote(own)}, {quote(other)}, {n} FROM {quote(table)} WHERE {quote(own)} IN ({{ids}})")  # noqa: S608
    return " UNION ALL ".join(parts)
