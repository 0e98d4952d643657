"""The default questions, following Kalmar's follow-up: overall impression and free text for both;
treatment, support, being heard and wanting more for the person; benefit, changed ways of working
and what the participation led to for the unit. Administrators edit them as new versions in /admin/."""

from django.db import migrations
from django.utils import timezone

RESOURCE = [
    ("overall", "Vilket är ditt helhetsintryck av uppdraget?", "1 betyder mycket dåligt och 5 mycket bra.", "rating", True, False),
    ("treatment", "Hur blev du bemött av verksamheten?", "1 betyder mycket dåligt och 5 mycket bra.", "rating", False, False),
    ("support", "Hur var stödet från samordnarna?", "1 betyder mycket dåligt och 5 mycket bra.", "rating", False, False),
    ("heard", "Fick du komma till tals?", "", "yes_no", False, False),
    ("more", "Vill du göra fler uppdrag som det här?", "", "yes_no", False, False),
    ("comment", "Vill du berätta något mer?", "Till exempel vad som var bra och vad som kan bli bättre.", "text", False, False),
]
UNIT = [
    ("overall", "Vilket är ert helhetsintryck av medverkan?", "1 betyder mycket dåligt och 5 mycket bra.", "rating", True, False),
    (
        "benefit",
        "Hur stor nytta hade ni av medverkan i diskussioner och beslut?",
        "1 betyder ingen nytta och 5 mycket stor nytta.",
        "rating",
        False,
        False,
    ),
    ("changed", "Har ert sätt att arbeta förändrats?", "", "yes_no", False, False),
    (
        "led_to",
        "Vad ledde medverkan till?",
        "Det ni skriver här visas för erfarenhetsresursen på Mina sidor.",
        "text",
        False,
        True,
    ),
    ("comment", "Vill ni berätta något mer?", "Till exempel vad som var bra och vad som kan bli bättre.", "text", False, False),
]


def create(apps, schema_editor):
    QuestionSet = apps.get_model("evaluations", "QuestionSet")
    Question = apps.get_model("evaluations", "Question")
    for respondent, questions in (("resource", RESOURCE), ("unit", UNIT)):
        if QuestionSet.objects.filter(respondent=respondent).exists():
            continue
        question_set = QuestionSet.objects.create(respondent=respondent, version=1, published_at=timezone.now())
        Question.objects.bulk_create(
            Question(
                question_set=question_set,
                key=key,
                text=text,
                help_text=help_text,
                kind=kind,
                order=order,
                required=required,
                shown_to_resource=shown,
            )
            for order, (key, text, help_text, kind, required, shown) in enumerate(questions, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_evaluations_and_follow_up")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
