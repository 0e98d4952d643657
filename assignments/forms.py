from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assignments.enums import SessionMode, SessionOutcome
from assignments.models import Assignment, Session
from assignments.services.agreements import AGREEMENT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has the token
    return helper


class VersionedForm(forms.Form):
    """Carries the assignment's version the page was built from (see services.lifecycle.lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assignment
        fields = AGREEMENT_FIELDS
        widgets = {
            "description": forms.TextInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "role": forms.Textarea(attrs={"rows": 3}),
            "preparation": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "title": _("Vad uppdraget gäller"),
            "description": _("Typ av arbete"),
            "role": _("Erfarenhetsresursens roll"),
        }
        help_texts = {
            "role": _("Till exempel: berättar om sin erfarenhet och är med i diskussionen."),
            "preparation": _("Till exempel: läsa ett utkast, ungefär en timme."),
            "confidentiality": _("Kryssa i om personen kommer att höra uppgifter om patienter."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = True
        self.fields["role"].error_messages["required"] = _("Beskriv erfarenhetsresursens roll.")
        self.fields["contact_name"].required = True
        self.fields["contact_email"].required = True
        self.helper = _helper()


class SessionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    link = forms.URLField(
        label=_("Länk till mötet"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Länken till videomötet. Bara när tillfället är digitalt."),
    )

    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "mode", "address", "link"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME, "mode": forms.RadioSelect}
        help_texts = {
            "address": _("Gatuadress, hus och rum. Bara när tillfället är på plats."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = SessionMode.choices
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Sluttiden måste vara efter starttiden."))
        if data.get("mode") == SessionMode.ON_SITE and not data.get("address", "").strip():
            self.add_error("address", _("Skriv adressen till platsen."))
        if data.get("mode") == SessionMode.DIGITAL and not data.get("link", "").strip():
            self.add_error("link", _("Skriv länken till mötet."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "mode": data["mode"],
            "address": data["address"] if data["mode"] == SessionMode.ON_SITE else "",
            "link": data["link"] if data["mode"] == SessionMode.DIGITAL else "",
        }


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label=_("Varför ställs uppdraget in?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("De andra parterna och samordnarna får läsa det."),
        error_messages={"required": _("Skriv varför uppdraget ställs in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SignForm(forms.Form):
    agreement = forms.IntegerField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    approve = forms.BooleanField(
        label=_("Jag har läst och godkänner överenskommelsen"),
        error_messages={"required": _("Kryssa i att du har läst och godkänner överenskommelsen.")},
    )
    code = forms.CharField(
        label=_("Koden från e-posten"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Skriv koden som du fick i e-posten.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DisputeForm(VersionedForm):
    comment = forms.CharField(
        label=_("Vad stämmer inte?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Samordnarna läser det och hör av sig."),
        error_messages={"required": _("Skriv vad som inte stämmer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class OutcomesForm(VersionedForm):
    """One outcome per session (and the hours when it took another length), plus a comment."""

    comment = forms.CharField(label=_("Kommentar (frivilligt)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sessions, comment_label=None, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = list(sessions)
        late = _("Inställt sent, inom %(hours)s timmar före (arvode betalas ändå)") % {"hours": settings.LATE_CANCELLATION_HOURS}
        choices = [(value, late if value == SessionOutcome.LATE_CANCELLED else label) for value, label in SessionOutcome.choices]
        for s in self.sessions:
            when = f"{s.date:%Y-%m-%d} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}"
            self.fields[f"outcome_{s.pk}"] = forms.ChoiceField(
                label=_("Tillfället %(when)s") % {"when": when},
                choices=choices,
                widget=forms.RadioSelect,
                initial=s.outcome or None,
                error_messages={"required": _("Välj hur tillfället gick.")},
            )
            self.fields[f"hours_{s.pk}"] = forms.DecimalField(
                label=_("Faktisk tid i timmar för %(when)s") % {"when": when},
                required=False,
                min_value=0,
                max_digits=4,
                decimal_places=1,
                initial=s.actual_hours,
                help_text=_("Bara om det tog annan tid än planerat."),
            )
        if comment_label:
            self.fields["comment"].label = comment_label
        self.fields["comment"].required = comment_required
        self.order_fields([*(n for s in self.sessions for n in (f"outcome_{s.pk}", f"hours_{s.pk}")), "comment"])
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        for s in self.sessions:
            if data.get(f"outcome_{s.pk}") == SessionOutcome.OTHER_LENGTH and not data.get(f"hours_{s.pk}"):
                self.add_error(f"hours_{s.pk}", _("Skriv hur många timmar det tog."))
        return data

    def outcomes(self) -> dict:
        return {s.pk: (self.cleaned_data[f"outcome_{s.pk}"], self.cleaned_data.get(f"hours_{s.pk}")) for s in self.sessions}
