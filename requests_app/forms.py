import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import ID_MAX, ModelMultipleChoiceField, parse_id
from registry.models import ExperienceArea, Perspective
from requests_app.enums import AgeGroup, Duration, Format, RequestStatus, WorkKind
from requests_app.models import CareUnit, UnitJoinRequest, UnitRequest
from requests_app.validators import validate_attachment

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Needed to send; a draft can be saved with any of them missing.
REQUIRED_TO_SUBMIT = [
    "unit",
    "contact_name",
    "contact_email",
    "kind",
    "title",
    "purpose",
    "people_count",
    "format",
    "duration",
    "reply_by",
]


class RequestForm(forms.ModelForm):
    """The request form. Saving a draft checks only what is typed; sending checks that all is there."""

    areas = ModelMultipleChoiceField(
        ExperienceArea.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Erfarenhetsområden"),
        help_text=_("Välj de som passar. Inget val betyder att alla områden går bra."),
    )
    perspectives = ModelMultipleChoiceField(
        Perspective.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Erfarenhet som"),
        help_text=_("Inget val betyder att alla går bra."),
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = UnitRequest
        fields = [
            "unit",
            "contact_name",
            "contact_email",
            "contact_phone",
            "kind",
            "kind_other",
            "title",
            "purpose",
            "areas",
            "perspectives",
            "age_group",
            "languages",
            "other_wishes",
            "people_count",
            "format",
            "location",
            "starts_on",
            "ends_on",
            "dates_note",
            "duration",
            "hours",
            "preparation",
            "is_research",
            "ethics_status",
            "reply_by",
            "attachment",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "other_wishes": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect,
            "format": forms.RadioSelect,
            "duration": forms.RadioSelect,
            "starts_on": DATE,
            "ends_on": DATE,
            "reply_by": DATE,
        }
        help_texts = {"attachment": _("Frivilligt. PDF eller Word, högst 10 MB.")}

    def __init__(self, *args, user, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        units = CareUnit.objects.filter(staff=user, is_active=True)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None if len(units) == 1 else _("Välj verksamhet")
        for name in ("kind", "format", "duration"):
            # Radio buttons without the "---------" choice a blank model field brings.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for name in REQUIRED_TO_SUBMIT:
            # Shown as required (the asterisk), enforced only when the request is sent.
            self.fields[name].required = True
        self.fields["unit"].required = True
        self.fields["age_group"].required = False  # left out of a draft: no particular age
        if not self.instance.pk:
            self.fields["token"].initial = uuid.uuid4()
            self.initial.setdefault("contact_name", user.get_full_name())
            self.initial.setdefault("contact_email", user.email)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Verksamhet och kontaktperson"), "unit", "contact_name", "contact_email", "contact_phone"),
            Fieldset(_("Vad gäller det?"), "kind", "kind_other", "title", "purpose"),
            Fieldset(
                _("Vilken erfarenhet söker ni?"),
                "areas",
                "perspectives",
                "age_group",
                "languages",
                "other_wishes",
                "people_count",
            ),
            Fieldset(
                _("Var, när och hur länge?"),
                "format",
                "location",
                "starts_on",
                "ends_on",
                "dates_note",
                "duration",
                "hours",
                "preparation",
            ),
            Fieldset(_("Forskning"), "is_research", "ethics_status"),
            Fieldset(_("Svar och bilaga"), "reply_by", "attachment", "token"),
        )

    def full_clean(self):
        if self.submitting:
            return super().full_clean()
        # A draft saves with gaps: relax the fields needed only to send, then show them as
        # required again when the form is drawn.
        relaxed = [n for n in REQUIRED_TO_SUBMIT if n != "unit"]
        for name in relaxed:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in relaxed:
                self.fields[name].required = True

    def clean_age_group(self):
        return self.cleaned_data.get("age_group") or AgeGroup.ANY

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new file, not the one already stored
            ending = validate_attachment(upload)
            self.attachment_name = upload.name[:200]
            upload.name = f"{uuid.uuid4().hex}{ending}"  # never trust the uploaded name on disk
        return upload

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Slutdatumet kan inte vara före startdatumet."))
        if starts and starts < today and "starts_on" in self.changed_data:
            self.add_error("starts_on", _("Välj ett datum som inte har passerat."))
        if data.get("reply_by") and data["reply_by"] < today and "reply_by" in self.changed_data:
            self.add_error("reply_by", _("Välj ett datum som inte har passerat."))
        if self.submitting:
            self._check_complete(data)
        return data

    def _check_complete(self, data):
        if data.get("kind") == WorkKind.OTHER and not data.get("kind_other"):
            self.add_error("kind_other", _("Beskriv kort vad det gäller."))
        if data.get("format") in (Format.ON_SITE, Format.BOTH) and not data.get("location"):
            self.add_error("location", _("Skriv var det är."))
        if data.get("duration") == Duration.HOURS and not data.get("hours"):
            self.add_error("hours", _("Skriv ungefär hur många timmar."))
        if data.get("is_research") and not data.get("ethics_status"):
            self.add_error("ethics_status", _("Välj hur det går med etikprövningen."))
        if not data.get("starts_on") and not data.get("dates_note"):
            self.add_error("starts_on", _("Skriv ett datum, en period eller tider i fältet under."))

    def split(self) -> tuple[UnitRequest, dict]:
        """The unsaved request and its many-to-many choices, for the service to save together."""
        instance = self.save(commit=False)
        if getattr(self, "attachment_name", None):
            instance.attachment_name = self.attachment_name
        elif not instance.attachment:
            instance.attachment_name = ""
        return instance, {"areas": self.cleaned_data["areas"], "perspectives": self.cleaned_data["perspectives"]}


class WithdrawForm(forms.Form):
    reason = forms.CharField(required=False, max_length=5000)


class ResponsibleForm(forms.Form):
    """Take responsibility ("me"), hand over (a coordinator's id) or leave it with nobody ("")."""

    responsible = forms.CharField(required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=ID_MAX)

    def clean_responsible(self):
        value = self.cleaned_data["responsible"]
        if value in ("", "me"):
            return value
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError(_("Välj en samordnare i listan."), code="invalid_choice")
        return pk


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=RequestStatus.choices)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


TOO_LONG = _("Texten får vara högst %(limit_value)d tecken. Nu är den %(show_value)d tecken.")


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Skriv ett meddelande."), "max_length": TOO_LONG},
    )


class CoordinatorMessageForm(MessageForm):
    """A coordinator's message; ticked, it is the question the request waits for."""

    ask_for_information = forms.BooleanField(
        required=False,
        label=_("Förfrågan väntar på svaret (status ”Behöver mer information”)"),
        help_text=_("Kryssa i när ni behöver svaret innan ni kan gå vidare. Verksamhetens svar kommer här i tråden."),
    )

    def __init__(self, *args, can_ask: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_ask:
            del self.fields["ask_for_information"]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Intern anteckning (syns inte för verksamheten)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": _("Skriv en anteckning."), "max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        # It shares the page with the message form: its own ids, so each label finds its field.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class JoinUnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        CareUnit.objects.filter(is_active=True), label=_("Min verksamhet"), empty_label=_("Välj verksamhet")
    )


class UnitJoinRequestForm(forms.ModelForm):
    class Meta:
        model = UnitJoinRequest
        fields = ["name", "organisation", "cost_centre", "postal_address"]
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 2})}
