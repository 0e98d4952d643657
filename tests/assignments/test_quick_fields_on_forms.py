"""`|quick_field` (config/quick_fields.py) writes what crispy's `|as_crispy_field` writes (Bootstrap 5), field by field:
labels, ids, the asterisk, the widget's classes and aria attributes, errors and help text."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from assignments.filters import AssignmentFilter
from assignments.models import Assignment
from compensation.forms import BatchForm
from config.long_choices import QuickSelect
from config.quick_fields import quick_field


class Everything(forms.Form):
    """One field of each kind the filter forms use, and a few more, with help texts and a required checkbox."""

    name = forms.CharField(label="Namn <i>", help_text="Som i <b>folkbokföringen</b>", max_length=20)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"class": "wide", "placeholder": 'a "b"'}))
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=1, required=False)
    kind = forms.ChoiceField(choices=[("", "Alla"), ("a", "A & B")], required=False)
    quick = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=QuickSelect)
    agree = forms.BooleanField(label="Jag håller med", help_text="Läs villkoren")
    maybe = forms.BooleanField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    pick = forms.ChoiceField(choices=[("1", "Ett"), ("2", "Två")], widget=forms.RadioSelect, required=False)
    error_css_class = "has-error"


def assert_same(make_form):
    """Each field of a fresh form, rendered both ways (crispy changes the widget's classes as it goes)."""
    quick_form, crispy_form = make_form(), make_form()
    for name in quick_form.fields:
        quick, crispy = str(quick_field(quick_form[name])), str(as_crispy_field(crispy_form[name]))
        assert parse_html(quick) == parse_html(crispy), f"{name}:\n{quick}\n---\n{crispy}"


def test_unbound_fields_are_written_as_crispy_writes_them():
    assert_same(Everything)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "x" * 30, "email": "inte en adress", "when": "igår", "count": "0", "kind": "z", "quick": "q"},
        {"name": "Anna", "email": "a@b.se", "when": "2026-03-01", "count": "3", "kind": "a", "quick": "y", "agree": "on"},
        {"name": '"><script>', "note": "<b>", "token": '"x', "pick": "2", "maybe": "on"},
    ],
)
def test_bound_fields_with_and_without_errors_are_written_as_crispy_writes_them(data):
    assert_same(lambda: Everything(data))


def test_the_fields_aria_points_at_the_errors():
    html = str(quick_field(Everything({"count": "0"})["count"]))
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_count_error"' in html
    assert '<div id="id_count_error" class="invalid-feedback"><p id="error_1_id_count">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{}, {"status": "done", "date_from": "2026-01-01", "overdue_signing": "on"}, {"status": "nej", "date_to": "x"}]
)
def test_the_assignment_filter_is_written_as_crispy_writes_it(data):
    def form():
        filterset = AssignmentFilter(data, queryset=Assignment.objects.all())
        filterset.is_valid()
        return filterset.form

    assert_same(form)


@pytest.mark.parametrize("data", [None, {}, {"period_start": "2026-02-01", "period_end": "2026-01-01"}])
def test_the_batch_form_is_written_as_crispy_writes_it(data):
    def form():
        made = BatchForm(data)
        made.fields["token"].initial = "0f8fad5b-d9cb-469f-a165-70867728950e"  # each form draws its own
        if data is not None:
            made.is_valid()
        return made

    assert_same(form)
