"""`{{ field|as_light_field }}`: crispy-forms' Bootstrap 5 field, written in Python.

`|as_crispy_field` renders each field through four to six templates (the wrapper, the help text
and errors, the widget's own): about half a millisecond a field, so a list page's filter form of
six fields costs more than its fifty rows. This filter writes the same markup as crispy's
`bootstrap5/field.html` (with `form_show_labels`, no layout helper) in one pass: the wrapper's
`div_<id>`, the `<label for>`, the asterisk of a required field, the widget with crispy's classes
(`form-select`, `form-control`, `form-check-input`, `is-invalid`), the errors next to the field
(`<id>_error`, `error_<n>_<id>`) and the help text (`<id>_helptext`). The widget itself is
rendered by Django (`BoundField.build_widget_attrs` adds `required`, `aria-invalid` and
`aria-describedby` as it does for crispy); plain `<input>` widgets are written from the
widget's context without their template. A test holds the output equal to crispy's, field by
field, with and without errors.

Anything this does not mirror (a form with a crispy `helper`, hidden, file, radio, multiple-choice
and multi-widget fields, fieldsets) is handed to crispy unchanged.

Generic (nothing here is about assignments): it could live in config/ beside long_choices.py.
"""

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Django's own input templates all come down to `input.html`; a subclass with a template of its
# own is rendered by Django.
_PLAIN_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "date", "datetime", "time", "email", "number", "url", "search", "tel", "password", "checkbox")
}


def _mirrored(field) -> bool:
    widget = field.field.widget
    return not (
        getattr(field.form, "helper", None) is not None
        or widget.is_hidden
        or field.use_fieldset
        or isinstance(widget, (forms.FileInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget))
        or hasattr(widget, "widget")  # a wrapper such as admin's RelatedFieldWidgetWrapper
    )


def _css(widget, extra: str) -> str:
    """The classes crispy's `{% crispy_field %}` gives a widget: its own, its class name, then `extra`."""
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif css.find(name) == -1:
        css += f" {name}"
    present = css.split()
    for cls in extra.split():
        if cls not in present:
            css += f" {cls}"
            present.append(cls)
    return css


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget(field, extra: str) -> str:
    widget = field.field.widget
    css = _css(widget, extra)
    if not (isinstance(widget, Input) and widget.template_name in _PLAIN_INPUT_TEMPLATES):
        return field.as_widget(attrs={"class": css})
    # BoundField.as_widget(), without the template render at its end.
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({"class": css}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return f'<input type="{escape(context["type"])}" name="{escape(context["name"])}"{value}{_attrs(context["attrs"])}>'


def _label_text(field) -> str:
    star = '<span class="asteriskField">*</span>' if field.field.required else ""
    return f"{conditional_escape(field.label)}{star}"


def _errors_and_help(field) -> str:
    parts = []
    errors = field.errors
    if errors:
        parts.append(f'<div id="{escape(str(errors.field_id))}_error" class="invalid-feedback">')
        parts.extend(
            f'<p id="error_{n}_{escape(str(field.auto_id))}"><strong>{conditional_escape(error)}</strong></p>'
            for n, error in enumerate(errors, start=1)
        )
        parts.append("</div>")
    if field.help_text:
        where = f'id="{escape(str(field.auto_id))}_helptext" ' if field.auto_id else ""
        parts.append(f'<div {where}class="form-text">{field.help_text}</div>')  # |safe, as crispy
    return "".join(parts)


@register.filter
def as_light_field(field) -> SafeString:
    """The field as crispy's `|as_crispy_field` writes it (Bootstrap 5), without its templates."""
    if not _mirrored(field):
        return as_crispy_field(field)
    widget = field.field.widget
    invalid = " is-invalid" if field.errors else ""
    required = " requiredField" if field.field.required else ""
    extra = field.css_classes()
    extra = f" {extra}" if extra else ""
    wrapper_id = f"div_{escape(str(field.auto_id))}"
    if isinstance(widget, forms.CheckboxInput):
        return mark_safe(
            f'<div class="mb-3"><div id="{wrapper_id}" class="form-check{extra}">'
            f"{_widget(field, 'form-check-input' + invalid)}"
            f'<label for="{escape(str(field.id_for_label))}" class="form-check-label{required}">{_label_text(field)}</label>'
            f"{_errors_and_help(field)}</div></div>"
        )
    label = ""
    if field.label:
        target = f'for="{escape(str(field.id_for_label))}" ' if field.id_for_label else ""
        label = f'<label {target}class="form-label{required}">{_label_text(field)}</label>'
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return mark_safe(
        f'<div id="{wrapper_id}" class="mb-3{extra}">{label}{_widget(field, css + invalid)}{_errors_and_help(field)}</div>'
    )
