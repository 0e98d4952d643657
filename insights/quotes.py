"""The free-text answers people allowed to be quoted anonymously, for the page and the report."""

from dataclasses import dataclass

from evaluations.enums import QuestionKind, Respondent
from evaluations.models import Answer
from insights.figures import Window, submitted_evaluations

QUOTE_LIMIT = 30


@dataclass(frozen=True)
class Quote:
    pk: int
    text: str
    respondent_label: str


def allowed_quotes(window: Window, limit: int = QUOTE_LIMIT) -> list[Quote]:
    """The newest quotable answers in the window: one query, whatever the number of answers.

    It looks among the newest `limit` x 4 evaluations that allowed quoting (found backwards
    along the submitted_at index) rather than joining every answer of the period and sorting
    them: at national scale that was the slowest query of the page."""
    newest = submitted_evaluations(window).filter(quote_allowed=True).order_by("-submitted_at", "-pk").values("pk")[: limit * 4]
    answers = (
        Answer.objects.filter(evaluation__in=newest, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("-evaluation__submitted_at", "-pk")
        .values_list("pk", "text", "evaluation__respondent")[:limit]
    )
    return [Quote(pk, text, str(Respondent(respondent).label)) for pk, text, respondent in answers]
