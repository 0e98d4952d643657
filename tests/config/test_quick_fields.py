"""config.quick_fields draws a field as crispy-forms' Bootstrap 5 template does: the same
elements, attributes and text (only the whitespace between tags differs)."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from config.long_choices import LongSelect, QuickSelect
from config.quick_fields import quick_field


class Everything(forms.Form):
    q = forms.CharField(label="Sök <namn>", max_length=20, required=False, help_text="Namn eller <b>berättelse</b>")
    name = forms.CharField(label="Namn", max_length=5)
    status = forms.ChoiceField(label="Status", choices=[("", "Alla"), ("a", "A & B"), ("b", "B")], required=False)
    quick = forms.ChoiceField(label="Snabb", choices=[("", "Alla"), ("x", "X")], widget=QuickSelect, required=False)
    long = forms.ChoiceField(label="Lång", choices=[("1", "Ett"), ("2", "Två")], widget=LongSelect(attrs={"class": "extra"}))
    day = forms.DateField(label="Dag", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    count = forms.IntegerField(label="Antal", required=False, min_value=1)
    agree = forms.BooleanField(label="Jag håller med", required=False)
    notes = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea)  # drawn by crispy


def crispy(field) -> str:
    # crispy adds the widget's class name to the widget's own attrs as it draws: a fresh form each time.
    return str(as_crispy_field(field))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "x" * 30, "name": "", "status": "zz", "quick": "x", "long": "9", "day": "not a day", "count": "0"},
        {
            "q": "<anna>",
            "name": "Bo",
            "status": "a",
            "quick": "nope",
            "long": "2",
            "day": "2027-01-02",
            "count": "3",
            "agree": "on",
        },
    ],
)
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_a_field_is_drawn_as_crispy_draws_it(name, data):
    ours = str(quick_field(Everything(data)[name]))
    theirs = crispy(Everything(data)[name])
    assert parse_html(ours) == parse_html(theirs)


def test_the_label_and_the_value_are_escaped_and_the_error_is_tied_to_the_control():
    html = str(quick_field(Everything({"q": "<script>" + "x" * 30})["q"]))
    assert "Sök &lt;namn&gt;" in html
    assert "<script>" not in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_q_helptext id_q_error"' in html
    assert '<div id="id_q_error" class="invalid-feedback">' in html
    assert 'id="id_q_helptext"' in html


def test_the_fields_of_a_filter_form_are_drawn_without_crispy_and_the_rest_by_crispy(monkeypatch):
    from config import quick_fields

    drawn_by_crispy = []
    monkeypatch.setattr(quick_fields, "as_crispy_field", lambda field: drawn_by_crispy.append(field.name) or "")
    form = Everything({"agree": "on"})
    for name in form.fields:
        quick_field(form[name])
    assert drawn_by_crispy == ["notes"]  # a textarea; every other kind here, the checkbox too, is written in Python
    html = str(quick_field(form["agree"]))
    assert '<input type="checkbox" name="agree" class="checkboxinput form-check-input" id="id_agree" checked>' in html
    assert '<label for="id_agree" class="form-check-label">Jag håller med</label>' in html
