"""A filter's select of many rows (2,000 care units at national scale), made cheap.

Django renders each `<option>` through a template of its own and builds a model instance
(and the audit snapshot) for every row: 2,000 units cost a list page more than the rest of
it together. Here the rows are read as `(id, label, group)` tuples and the options are
written in Python, escaped like the template would. The markup is the same native
`<select>` (keyboard type-ahead, read by screen readers as before), with the rows grouped
in `<optgroup>`s when a group field is given, so same-named units of different
organisations can be told apart.

With `cache_as`, the rows' options are kept in the cache: any save or delete of the model
forgets them (connect with `forget_rows_on_change`), and they are read again at most
`ROWS_SECONDS` after a change that bypasses save() (a bulk update, a data load). Each process
holds the options it read last and asks the cache only for their version.
"""

from __future__ import annotations

import uuid
from html import escape
from itertools import groupby

import django_filters
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_filters.fields import ModelChoiceField

ROWS_SECONDS = 300


def _option(key, label, selected=False) -> str:
    # The standard library's escape: Django's is lazy-aware, and several times slower per call.
    key = "" if key is None else str(key)
    return f'<option value="{escape(key)}"{" selected" if selected else ""}>{escape(str(label))}</option>'


def _options(choices) -> str:
    """`(value, label)` or `(group label, [(value, label), ...])` choices as options, none selected."""
    parts = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            parts.append(f'<optgroup label="{escape(str(key))}">')
            parts.extend(_option(k, lab) for k, lab in label)
            parts.append("</optgroup>")
        else:
            parts.append(_option(key, label))
    return "".join(parts)


def _select_first(html: str, chosen: list[str]) -> str:
    """Mark the first option whose value is among the chosen ones, as Django's Select does."""
    for key in chosen:
        plain = f'<option value="{escape(key)}">'
        if plain in html:
            return html.replace(plain, f'<option value="{escape(key)}" selected>', 1)
    return html


class QuickSelect(forms.Select):
    """A `<select>` whose options are written without a template per option.
    Choices are `(value, label)` or `(group label, [(value, label), ...])`."""

    def choice_rows(self):
        return self.choices

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = self.format_value(value)
        rows = getattr(self.choices, "rows_html", None)
        if rows is None:
            options = _select_first(_options(self.choice_rows()), chosen)
        else:  # a field of many rows: the fixed first choices, then the rows (perhaps kept)
            head = _select_first(_options(self.choices.head()), chosen)
            options = head + (rows() if " selected>" in head else _select_first(rows(), chosen))
        return mark_safe(format_html('<select name="{}"{}>', name, flatatt(attrs)) + options + "</select>")


class LongSelect(QuickSelect):
    """A QuickSelect for a form's ModelChoiceField: with `label_field`, the choices are read as
    (key, label_field) rows of the field's queryset in one plain query, not as model instances
    (for a model whose str() is that field)."""

    def __init__(self, attrs=None, choices=(), *, label_field: str | None = None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def choice_rows(self):
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return list(choices)
        # One plain query (Django's iterator opens a server-side cursor on PostgreSQL: three
        # round trips for a list of twenty).
        field = choices.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        if self.label_field is None:
            return empty + [(str(key), label) for key, label in (choices.choice(obj) for obj in queryset.all())]
        return empty + list(queryset.values_list(field.to_field_name or "pk", self.label_field))


class _RowsIterator(django_filters.fields.ModelChoiceIterator):
    """The rows as plain tuples from one query: no model instances."""

    def head(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)

    def rows(self):
        field = self.field
        if not field.group_field:
            yield from self.queryset.values_list("pk", field.label_field)
            return
        rows = self.queryset.order_by(field.group_field, field.label_field, "pk").values_list(
            field.group_field, "pk", field.label_field
        )
        for group, members in groupby(rows, key=lambda row: row[0]):
            yield (group, [(pk, label) for _, pk, label in members])

    def __iter__(self):
        yield from self.head()
        yield from self.rows()

    def rows_html(self) -> str:
        field = self.field
        if not field.cache_as:
            return _options(self.rows())
        key = _cache_key(self.queryset.model)
        variant = f"{field.cache_as}:{field.group_field}:{field.label_field}"
        # The options (90 kB for 2,000 units) are read from the cache only when they changed:
        # each process keeps the last it read beside the version it was, and asks the cache
        # for the version alone.
        version = cache.get(f"{key}:version")
        held = _held.get((key, variant))
        if version is not None and held is not None and held[0] == version:
            return held[1]
        kept = cache.get(key) or {}
        if version is None or kept.get("version") != version:
            kept = {"version": uuid.uuid4().hex}
        if variant not in kept:
            kept[variant] = _options(self.rows())
            cache.set_many({key: kept, f"{key}:version": kept["version"]}, ROWS_SECONDS)
        _held[(key, variant)] = (kept["version"], kept[variant])
        return kept[variant]


# (cache key, variant) -> (version, options): the options this process read last.
_held: dict[tuple[str, str], tuple[str, str]] = {}


def _cache_key(model) -> str:
    return f"long-choices:{model._meta.label_lower}"


def forget_rows_on_change(model) -> None:
    """Forget the kept options of `model` whenever one of its rows is saved or deleted."""

    def forget(**kwargs):
        # Now, and again after the commit: a page drawn in between may have kept the old rows.
        keys = [_cache_key(model), f"{_cache_key(model)}:version"]
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))

    for signal in (post_save, post_delete):
        signal.connect(forget, sender=model, weak=False, dispatch_uid=f"long-choices-{model._meta.label_lower}")


class RowsChoiceField(ModelChoiceField):
    iterator = _RowsIterator
    widget = QuickSelect

    def __init__(self, *args, label_field="name", group_field=None, cache_as=None, **kwargs):
        self.label_field, self.group_field, self.cache_as = label_field, group_field, cache_as
        super().__init__(*args, **kwargs)


class ManyRowsChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter for a table of thousands of rows: `label_field` is what each option
    says, `group_field` (optional) what the rows are grouped by; `cache_as` (optional) keeps the
    options in the cache under that name, which must stand for the queryset (e.g. "all")."""

    field_class = RowsChoiceField
