"""Widgets for choices too many to render one template per option.

Django renders each <option> of a select through its own template: for the two thousand care
units of a nation that is most of a page's time (0.3 s of a person's page on a shared CPU,
with a model instance made per unit). `LongSelect` writes the same markup in one pass, reading
only the ids and names of a model choice field's queryset.
"""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A single select of a ModelChoiceField's choices; the label is `label_field` of each row."""

    def __init__(self, attrs=None, *, label_field: str = "name"):
        super().__init__(attrs)
        self.label_field = label_field

    def rows(self):
        """(value, label) of every choice, the empty one first: a plain list, or one query."""
        choices = self.choices
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            return [(value, label) for value, label in choices]
        field = choices.field
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        key = field.to_field_name or "pk"
        return empty + list(queryset.values_list(key, self.label_field))

    def render(self, name, value, attrs=None, renderer=None):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = {str(v) for v in context["widget"]["value"]}
        options = []
        for value, label in self.rows():
            text = "" if value is None else str(value)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
        attrs = flatatt(context["widget"]["attrs"])
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(options)}</select>')
