from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import SEARCH_MAX, SEARCH_TOO_LONG, IdField, IdListField
from config.long_choices import LongSelect
from matching import services
from matching.models import Conflict
from requests_app.models import CareUnit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TOO_LONG = _("Texten får vara högst %(limit_value)d tecken. Nu är den %(show_value)d tecken.")


class SendForm(forms.Form):
    """The coordinator's choice from the shortlist. The people are checkboxes in the table."""

    people = forms.TypedMultipleChoiceField(
        coerce=int, label=_("Välj personer"), error_messages={"required": _("Välj minst en person.")}
    )
    deadline = forms.DateTimeField(label=_("Svar senast"), widget=DATETIME)
    message = forms.CharField(
        label=_("Hälsning till personerna (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kommer med i e-posten. Skriv inget om verksamhetens interna förhållanden."),
    )

    def __init__(self, *args, candidates=(), asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        # People asked a moment ago stay valid choices, so a double click is not an error.
        self.fields["people"].choices = [(c.resource.pk, c.resource.full_name) for c in candidates] + [(pk, "") for pk in asked]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Sista svarsdag måste ligga framåt i tiden."))
        return deadline


class SearchForm(forms.Form):
    """The search for someone to add by hand (`sok`, in the query string or posted along)."""

    sok = forms.CharField(required=False, max_length=SEARCH_MAX, error_messages={"max_length": SEARCH_TOO_LONG})


class ChoiceForm(forms.Form):
    """The final choice: the ticked inquiries (`chosen`)."""

    chosen = IdListField(required=False)


class WithdrawYesForm(forms.Form):
    """ "… kan inte längre": the reason a yes is taken back."""

    reason = forms.CharField(
        max_length=5000, error_messages={"required": _("Skriv varför personen inte kan längre."), "max_length": TOO_LONG}
    )


class HandPickForm(forms.Form):
    person = IdField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Varför just den här personen?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skälet sparas i loggen."),
        error_messages={"required": _("Skriv varför du lägger till personen för hand.")},
    )
    deadline = forms.DateTimeField(label=_("Svar senast"), widget=DATETIME)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Sista svarsdag måste ligga framåt i tiden."))
        return deadline


class AnswerForm(forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Ditt svar"),
        choices=[("yes", _("Ja, jag vill vara med")), ("no", _("Nej, inte den här gången"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ja eller nej.")},
    )
    comment = forms.CharField(
        label=_("Kommentar (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel en fråga, eller varför du säger nej. Bara samordnarna läser den."),
    )
    share_email = forms.BooleanField(label=_("Verksamheten får min e-postadress"), required=False, initial=True)
    share_phone = forms.BooleanField(label=_("Verksamheten får mitt telefonnummer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token

    def record(self, inquiry, *, via: str, actor=None):
        """Records the valid form's answer; raises services.MatchingError if it is refused."""
        data = self.cleaned_data
        return services.answer(
            inquiry,
            yes=data["answer"] == "yes",
            comment=data["comment"],
            share_email=data["share_email"],
            share_phone=data["share_phone"],
            via=via,
            actor=actor,
        )


class ConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = ["unit", "note"]
        widgets = {"unit": LongSelect(label_field="name")}  # a nation has thousands of care units

    def __init__(self, *args, resource, for_coordinator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        taken = Conflict.objects.filter(resource=resource).values("unit_id")
        self.fields["unit"].queryset = CareUnit.objects.filter(is_active=True).exclude(pk__in=taken).order_by("name")
        self.fields["unit"].label = _("Verksamhet")
        # On the person's page a coordinator reads it, on Mina sidor the person.
        self.fields["unit"].help_text = (
            _("Till exempel där personen får vård eller arbetar.")
            if for_coordinator
            else _("Till exempel där du får vård eller arbetar.")
        )
        self.fields["unit"].error_messages.update(
            required=_("Välj en verksamhet."),
            invalid_choice=_("Välj en verksamhet i listan. Den kanske redan finns bland jäven."),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
