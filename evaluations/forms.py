from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.enums import FollowUpKind, FollowUpMethod, QuestionKind, Respondent
from evaluations.models import Evaluation, FollowUpTheme
from registry.enums import EventKind
from registry.models import Event

RATING_LABELS = {1: _("1 – mycket dåligt"), 2: "2", 3: "3", 4: "4", 5: _("5 – mycket bra")}
YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]


class EvaluationForm(forms.Form):
    """The questions of the evaluation's own question set version, one field per question."""

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(evaluation.question_set.questions.all())
        for question in self.questions:
            common = {"label": question.text, "help_text": question.help_text, "required": question.required}
            if question.kind == QuestionKind.RATING:
                field = forms.TypedChoiceField(
                    choices=list(RATING_LABELS.items()),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Välj ett betyg från 1 till 5.")},
                    **common,
                )
            elif question.kind == QuestionKind.YES_NO:
                field = forms.TypedChoiceField(
                    choices=YES_NO,
                    coerce=lambda value: value == "yes",
                    empty_value=None,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Välj ja eller nej.")},
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"required": _("Skriv ett svar.")},
                    **common,
                )
            self.fields[f"q_{question.key}"] = field
        we = evaluation.respondent == Respondent.UNIT
        self.fields["quote_allowed"] = forms.BooleanField(
            label=_("Ni får citera våra svar utan namn i rapporter")
            if we
            else _("Ni får citera mina svar utan namn i rapporter"),
            help_text=_("Citat visas utan namn och utan verksamhetens namn."),
            required=False,
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(f"q_{q.key}") for q in self.questions}


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(choices=FollowUpKind.choices, widget=forms.HiddenInput)
    object_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    method = forms.ChoiceField(label=_("Hur följde du upp?"), choices=FollowUpMethod.choices, initial=FollowUpMethod.CALL)
    note = forms.CharField(
        label=_("Anteckning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad kom fram? Skriv inga känsliga uppgifter om hälsa."),
        error_messages={"required": _("Skriv en kort anteckning om uppföljningen.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Teman att ta upp"),
        queryset=FollowUpTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_theme = forms.CharField(
        label=_("Nytt tema (frivilligt)"),
        max_length=200,
        required=False,
        help_text=_("Till exempel: tydligare mötesstruktur. Teman kan tas upp på nätverksträffar."),
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes if themes is not None else FollowUpTheme.objects.all()


class ThemeEventForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Nätverksträff"),
        queryset=Event.objects.none(),
        error_messages={"required": _("Välj en träff."), "invalid_choice": _("Välj en träff i listan.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(kind=EventKind.NETWORK, cancelled_at__isnull=True).order_by(
            "-starts_at"
        )
        self.fields["event"].label_from_instance = lambda e: f"{e.title}, {timezone.localtime(e.starts_at):%Y-%m-%d}"


class ThemeForm(forms.ModelForm):
    class Meta:
        model = FollowUpTheme
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Skriv vad temat heter.")}}
