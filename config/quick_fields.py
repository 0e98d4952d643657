"""A form field drawn as crispy-forms' Bootstrap 5 `field.html` draws it, in Python.

crispy renders each field through five nested templates: 0.5-0.7 ms a field, so a filter form
of eleven fields cost a list page more than its fifty rows. `quick_field` writes the same
markup for the fields filter forms have (text-like inputs, selects and checkboxes): the wrapper
`div_<id>`, the label tied to the control by `for`, Bootstrap's classes (with `is-invalid`),
`aria-invalid` and `aria-describedby` (Django's, pointing at the error and the help text), the
errors in a `<div id="<id>_error" class="invalid-feedback">` right under the control, then the
help text. A checkbox is drawn as crispy draws one: in a `form-check` inside a `mb-3`, its label
after it. Only the whitespace between the tags differs from crispy's.

Anything else (radios, a file, a multi-widget, a hidden field, a form with a crispy helper)
goes to crispy's `as_crispy_field` as before, so the filter is safe on any field.

    {% load quick_fields %}
    {% for field in filter.form %}<div class="col-sm-6 col-lg-3">{{ field|quick_field }}</div>{% endfor %}

Registered as a template library in settings.TEMPLATES (config is no app of its own).
"""

from __future__ import annotations

from html import escape

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Django's input widgets whose template is input.html and nothing more (a widget of the project
# with a template of its own is drawn by that template).
PLAIN_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "date", "datetime", "time", "email", "number", "search", "url", "tel")
}


ASTERISK = '<span class="asteriskField">*</span>'


def _html(value) -> str:
    # The standard library's escape: Django's handles lazy strings and SafeData, and is several
    # times slower per call. A SafeString (a label with markup on purpose) stays as it is.
    return value if isinstance(value, SafeString) else escape(str(value))


CHECKBOX = "django/forms/widgets/checkbox.html"


def _drawn_here(field: BoundField) -> bool:
    widget = field.field.widget
    if getattr(field.form, "helper", None) is not None or widget.is_hidden or widget.use_fieldset:
        return False
    if isinstance(widget, forms.CheckboxInput):
        return widget.template_name == CHECKBOX  # Django's own, not a widget with a template of its own
    if isinstance(widget, (forms.FileInput, forms.MultiWidget, forms.RadioSelect)):
        return False
    if isinstance(widget, forms.SelectMultiple):
        return False
    return isinstance(widget, forms.Select) or (isinstance(widget, Input) and widget.template_name in PLAIN_INPUTS)


def _css_class(widget, bootstrap: str) -> str:
    """The control's classes as crispy sets them: its own, the widget's class name, Bootstrap's."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    if not css:
        css = name
    elif name not in css:  # crispy's test: a substring, not a word
        css += " " + name
    words = css.split()
    for word in bootstrap.split():
        if word not in words:
            css += " " + word
            words.append(word)
    return css


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True alone, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_html(value)}"' for name, value in attrs.items() if value is not False
    )


def _input(field: BoundField, attrs: dict) -> str:
    """An <input> as Django's input.html writes it, without a template."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    value = "" if value is None else f' value="{_html(value)}"'
    return f'<input type="{_html(context["type"])}" name="{_html(context["name"])}"{value}{_attrs(context["attrs"])}>'


def _errors_and_help(field: BoundField, errors, parts: list[str]) -> None:
    auto_id = field.auto_id
    if errors:
        parts.append(f'<div id="{_html(errors.field_id)}_error" class="invalid-feedback">')
        parts.extend(
            f'<p id="error_{n}_{_html(auto_id)}"><strong>{_html(error)}</strong></p>' for n, error in enumerate(errors, 1)
        )
        parts.append("</div>")
    if field.help_text:
        help_id = f'id="{_html(auto_id)}_helptext" ' if auto_id else ""
        parts.append(f'<div {help_id}class="form-text">{field.help_text}</div>')  # |safe in crispy's template


def _checkbox(field: BoundField, errors) -> SafeString:
    """crispy's field.html for a checkbox: the box, then its label, in a form-check."""
    widget = field.field.widget
    control = _input(field, {"class": _css_class(widget, "form-check-input" + (" is-invalid" if errors else ""))})
    wrapper_class = "form-check"
    if extra := field.css_classes():
        wrapper_class += " " + extra
    required = field.field.required
    parts = [
        f'<div class="mb-3"><div id="div_{field.auto_id}" class="{_html(wrapper_class)}">{control}',
        f'<label for="{_html(field.id_for_label or "")}" class="form-check-label{" requiredField" if required else ""}">'
        f"{_html(field.label or '')}{ASTERISK if required else ''}</label>",
    ]
    _errors_and_help(field, errors, parts)
    parts.append("</div></div>")
    return mark_safe("".join(parts))  # every value above is escaped


@register.filter
def quick_field(field: BoundField) -> SafeString:
    if not _drawn_here(field):
        return as_crispy_field(field)
    widget = field.field.widget
    errors = field.errors
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field, errors)
    select = isinstance(widget, forms.Select)
    bootstrap = ("form-select" if select else "form-control") + (" is-invalid" if errors else "")
    attrs = {"class": _css_class(widget, bootstrap)}
    control = str(field.as_widget(attrs=attrs)) if select else _input(field, attrs)

    auto_id = field.auto_id
    wrapper_class = "mb-3"
    if extra := field.css_classes():
        wrapper_class += " " + extra
    parts = [f'<div id="div_{auto_id}" class="{_html(wrapper_class)}">']
    if field.label:
        required = field.field.required
        label_for = f' for="{_html(field.id_for_label)}"' if field.id_for_label else ""
        parts.append(
            f'<label{label_for} class="form-label{" requiredField" if required else ""}">{_html(field.label)}'
            f"{ASTERISK if required else ''}</label>"
        )
    parts.append(control)
    _errors_and_help(field, errors, parts)
    parts.append("</div>")
    return mark_safe("".join(parts))  # every value above is escaped
