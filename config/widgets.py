"""Widgets for choices too many to render one template per option.

Django renders each <option> of a select through its own template: for the two thousand care
units of a nation that is most of a page's time (0.3 s of a person's page on a shared CPU,
with a model instance made per unit), and the pool's filter form spends half its time in the
options of its selects. `LongSelect` writes the same markup in one pass.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A single select (no option groups) written in one pass.

    With `label_field`, the choices of a ModelChoiceField are read as (key, label_field) rows
    of its queryset, not as model instances (for a model whose str() is that field)."""

    def __init__(self, attrs=None, choices=(), *, label_field: str | None = None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def rows(self):
        """(value, label) of every choice, the empty one first."""
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return list(choices)
        # A model's choices in one plain query (Django's iterator opens a server-side cursor on
        # PostgreSQL: three round trips for a list of twenty).
        field = choices.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        if self.label_field is None:
            return empty + [choices.choice(obj) for obj in queryset.all()]
        return empty + list(queryset.values_list(field.to_field_name or "pk", self.label_field))

    def render(self, name, value, attrs=None, renderer=None):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = {str(v) for v in context["widget"]["value"]}
        options = []
        for choice, label in self.rows():
            text = "" if choice is None else str(choice)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
        attrs = flatatt(context["widget"]["attrs"])
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(options)}</select>')
