"""One function per e-mail about evaluations. Each is a stored row with a key: sent once."""

from django.conf import settings
from django.urls import reverse

from evaluations.enums import Respondent
from evaluations.models import Evaluation
from notifications.services import queue_email


def own_link(evaluation: Evaluation) -> str:
    name = "evaluations:own_detail" if evaluation.respondent == Respondent.RESOURCE else "evaluations:unit_detail"
    return settings.SITE_URL + reverse(name, args=[evaluation.pk])


def _send(evaluation: Evaluation, *, key: str, template: str, link: str) -> None:
    if not evaluation.recipient_email:
        return  # no address: the evaluation waits on the person's or the unit's own page
    queue_email(
        key=f"{key}:{evaluation.pk}",
        to=evaluation.recipient_email,
        template=f"evaluations/email/{template}_{evaluation.respondent}",
        context={
            "evaluation": evaluation,
            "assignment": evaluation.assignment,
            "link": link,
            "own_link": own_link(evaluation),
        },
    )


def send_evaluation(evaluation: Evaluation, *, link: str) -> None:
    _send(evaluation, key="evaluations.sent", template="evaluation", link=link)


def send_reminder(evaluation: Evaluation, *, link: str) -> None:
    _send(evaluation, key="evaluations.reminder", template="reminder", link=link)
