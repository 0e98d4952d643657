import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.models import YearlyReport
from insights.selectors import Period, Scope
from requests_app.models import CareUnit

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR = 2016
MAX_UNITS_LISTED = 100


def _year_choices():
    return [(y, str(y)) for y in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


def _month(value: str, field: str) -> date:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise forms.ValidationError({field: _("Skriv månaden som ÅÅÅÅ-MM, till exempel 2025-03.")})
    return date(int(match[1]), int(match[2]), 1)


class PeriodForm(forms.Form):
    """A year, or from one month to another; optionally an organisation or a unit."""

    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False, choices=_year_choices)
    from_month = forms.CharField(label=_("Från och med månad"), required=False, help_text=_("ÅÅÅÅ-MM"), max_length=7)
    to_month = forms.CharField(label=_("Till och med månad"), required=False, help_text=_("ÅÅÅÅ-MM"), max_length=7)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    unit = forms.ModelChoiceField(label=_("Verksamhet"), required=False, queryset=CareUnit.objects.order_by("name"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = CareUnit.objects.order_by("organisation").values_list("organisation", flat=True).distinct()
        self.fields["organisation"].choices = [("", _("Alla")), *[(o, o) for o in organisations]]
        self.fields["unit"].empty_label = _("Alla")
        # A national list of units is too long for one menu (and slow to draw): with many units,
        # the menu lists the chosen organisation's units only.
        organisation = (self.data.get("organisation") or "").strip()
        units = CareUnit.objects.order_by("name")
        if organisation:
            self.fields["unit"].queryset = units.filter(organisation=organisation)
        elif units.count() > MAX_UNITS_LISTED:
            self.fields["unit"].queryset = units.none()
            self.fields["unit"].help_text = _("Välj först en organisation och tryck Visa, så listas dess verksamheter.")
        self.fields["year"].choices = [("", _("Välj år")), *_year_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("from_month"), data.get("to_month")
        if start or end:
            if not (start and end):
                raise forms.ValidationError({"to_month" if start else "from_month": _("Fyll i både från och till.")})
            first, last = _month(start, "from_month"), _month(end, "to_month")
            if last < first:
                raise forms.ValidationError({"to_month": _("Slutet kan inte komma före början.")})
            end_exclusive = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
            data["period"] = Period(first, end_exclusive, f"{start}–{end}")
        else:
            data["period"] = Period.year(data.get("year") or timezone.localdate().year)
        # A unit chosen within an organisation narrows to the unit.
        unit = data.get("unit")
        data["scope"] = Scope(organisation="" if unit else data.get("organisation") or "", unit=unit)
        return data


class ReportForm(forms.ModelForm):
    """The coordinator's part of the yearly report: the year, the ideas for improvement, and
    which of the quotes people allowed to be used go in."""

    year = forms.TypedChoiceField(label=_("År"), coerce=int, choices=_year_choices)
    chosen_quotes = forms.MultipleChoiceField(
        label=_("Citat att ta med"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bara svar där personen har tillåtit att de citeras anonymt finns med."),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = YearlyReport
        fields = ["year", "improvements"]
        widgets = {"improvements": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, quotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quotes = {str(q.pk): q for q in quotes}
        self.fields["chosen_quotes"].choices = [(str(q.pk), f"”{q.text}” ({q.respondent_label})") for q in quotes]

    def clean_chosen_quotes(self):
        chosen = self.cleaned_data["chosen_quotes"]
        if len(chosen) > 12:
            raise forms.ValidationError(_("Välj högst 12 citat."))
        return [{"text": self.quotes[pk].text, "respondent": str(self.quotes[pk].respondent_label)} for pk in chosen]
