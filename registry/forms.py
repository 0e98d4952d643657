import uuid
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import IdListField, ModelMultipleChoiceField
from registry.consent import CONSENT_TEXT
from registry.enums import ResourceStatus
from registry.models import AwayPeriod, ContributionType, Event, ExperienceArea, ExperienceResource, Perspective

HONEYPOT = "webbplats"


class ApplicationForm(forms.ModelForm):
    """The public application (intresseanmälan). Plain words, few required fields."""

    perspectives = ModelMultipleChoiceField(
        Perspective.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Jag har erfarenhet som"),
        help_text=_("Välj ett eller flera."),
    )
    areas = ModelMultipleChoiceField(
        ExperienceArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Mina erfarenheter gäller"),
    )
    contribution_types = ModelMultipleChoiceField(
        ContributionType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Så här kan jag tänka mig att vara med"),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT, required=True, error_messages={"required": _("Du behöver samtycka för att kunna anmäla dig.")}
    )
    webbplats = forms.CharField(
        required=False,
        label=_("Lämna det här fältet tomt"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = ExperienceResource
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "preferred_contact",
            "perspectives",
            "areas",
            "story",
            "contribution_types",
            "languages",
            "municipality",
            "birth_year",
            "support_needs",
        ]
        labels = {
            "story": _("Berätta gärna kort om din erfarenhet (om du vill)"),
            "support_needs": _("Behöver du stöd eller anpassning för att kunna vara med?"),
            "languages": _("Vilka språk talar du?"),
        }
        help_texts = {
            "email": _("Vi skickar en bekräftelse hit. Du loggar in med en kod som vi mejlar, inget lösenord."),
            "phone": _("Fyll i e-post eller telefon, eller båda."),
            "story": _("Bara samordnarna kan läsa det du skriver."),
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "preferred_contact": forms.RadioSelect,
            "story": forms.Textarea(attrs={"rows": 4}),
            "support_needs": forms.Textarea(attrs={"rows": 3}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
            "municipality": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        this_year = timezone.localdate().year
        if year is not None and not (1900 <= year <= this_year - 15):
            raise forms.ValidationError(_("Skriv födelseåret med fyra siffror, till exempel 1956."))
        return year

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            self.add_error("email", _("Fyll i e-post eller telefon så att vi kan nå dig."))
        if data.get("preferred_contact") == "email" and not data.get("email") and data.get("phone"):
            self.add_error(
                "preferred_contact", _("Du har inte fyllt i någon e-post. Välj telefon eller sms, eller fyll i e-post.")
            )
        return data

    def _post_clean(self):
        # The form never saves its instance (registry.services does), and a second
        # application with the same address is answered kindly, not as a constraint error.
        pass

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))

    def split(self) -> tuple[dict, dict]:
        """Plain fields and many-to-many fields, for registry.services.submit_application."""
        relations = {name: self.cleaned_data[name] for name in ("perspectives", "areas", "contribution_types")}
        plain = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name not in relations and name in self.cleaned_data
        }
        return plain, relations


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=ResourceStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Skäl"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IntakeForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Datum och tid"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Plats eller länk till videomöte"), max_length=300)

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now():
            raise forms.ValidationError(_("Välj en tid som inte har passerat."))
        return value


class TrainingForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Introduktionsutbildningen genomförd"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Skriv datumet då utbildningen genomfördes."),
            "invalid": _("Skriv ett giltigt datum, till exempel 2026-12-13."),
        },
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Anteckningar (syns bara för samordnare)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ProfileForm(forms.ModelForm):
    """What a person keeps current about themselves. The e-mail is their sign-in, changed via the coordinators."""

    perspectives = ApplicationForm.base_fields["perspectives"]
    areas = ApplicationForm.base_fields["areas"]
    contribution_types = ApplicationForm.base_fields["contribution_types"]

    class Meta:
        model = ExperienceResource
        fields = [
            "first_name",
            "last_name",
            "phone",
            "preferred_contact",
            "municipality",
            "languages",
            "perspectives",
            "areas",
            "story",
            "contribution_types",
            "support_needs",
            "can_on_site",
            "can_digital",
            "max_assignments_per_month",
            "suitable_times",
        ]
        labels = ApplicationForm.Meta.labels
        help_texts = {"story": ApplicationForm.Meta.help_texts["story"]}
        widgets = {k: v for k, v in ApplicationForm.Meta.widgets.items() if k not in ("email", "birth_year")}


class AwayPeriodForm(forms.ModelForm):
    class Meta:
        model = AwayPeriod
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatumet kan inte vara före startdatumet."))
        return data


class EventForm(forms.ModelForm):
    """Day, start and end are asked for separately: one date and two times is how people think of a meeting."""

    day = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Börjar klockan"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Slutar klockan"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    link = forms.URLField(label=_("Länk till digitalt möte"), required=False, assume_scheme="https")
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    class Meta:
        model = Event
        fields = ["kind", "title", "day", "start_time", "end_time", "place", "link", "description", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            starts, ends = timezone.localtime(self.instance.starts_at), timezone.localtime(self.instance.ends_at)
            self.initial.update(day=starts.date(), start_time=starts.time(), end_time=ends.time())

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start), zone)
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end), zone)
            if end <= start:
                self.add_error("end_time", _("Sluttiden måste vara efter starttiden."))
            elif not self.instance.pk and data["starts_at"] < timezone.now():
                self.add_error("day", _("Välj ett datum som inte har passerat."))
        if not data.get("place") and not data.get("link"):
            self.add_error("place", _("Skriv var träffen är, eller ange en länk till det digitala mötet."))
        return data

    def save(self, commit=True):
        self.instance.starts_at = self.cleaned_data["starts_at"]
        self.instance.ends_at = self.cleaned_data["ends_at"]
        return super().save(commit=commit)


class AttendanceForm(forms.Form):
    attended = IdListField(required=False)


class LeavingForm(forms.Form):
    reason = forms.CharField(max_length=5000, error_messages={"required": _("Skriv ett skäl.")})


class CancelEventForm(forms.Form):
    reason = forms.CharField(label=_("Skäl (skickas till de inbjudna)"), widget=forms.Textarea(attrs={"rows": 2}))
