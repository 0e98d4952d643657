"""Form fields every app uses for ids from a form, so hostile values give a form error, not a 500.

Ids come from the browser and can be anything: `9223372036854775808` (one more than the
largest integer SQLite and PostgreSQL store: SQLite raises OverflowError in an `IN` query),
`²` (passes `str.isdigit()`, fails `int()`), `abc`, or text with NUL bytes. Parse every id
through one of these fields, never by hand.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Longest text a search box takes: a 100,000-character LIKE pattern is a server error on SQLite.
SEARCH_MAX = 200
SEARCH_TOO_LONG = _("Skriv högst %(limit_value)d tecken i sökrutan.")

# The range of a 64-bit signed integer: the widest id column we have (BigAutoField).
ID_MAX = 2**63 - 1
INTEGER_COLUMNS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField"}


def parse_id(value) -> int | None:
    """The id in `value`, or None if it is not a whole number a database can store."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but a value that is no storable id is refused before it reaches the query."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        column = meta.pk if key == "pk" else meta.get_field(key)
        if column.get_internal_type() in INTEGER_COLUMNS:
            for pk in value:
                if parse_id(pk) is None:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)


class IdField(forms.IntegerField):
    """One id (e.g. a hidden `person` field)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdListField(forms.Field):
    """Several ids under one name (checkboxes: `chosen`, `attended`). Any value that is no id
    makes the whole field invalid: a form error, nothing half done."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Välj i listan.")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        ids = [parse_id(v) for v in value]
        if None in ids:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


class SearchFilter(django_filters.CharFilter):
    """A text filter with a bounded length: longer text is an error beside the search box."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX)
        kwargs.setdefault("error_messages", {"max_length": SEARCH_TOO_LONG})
        super().__init__(*args, **kwargs)
