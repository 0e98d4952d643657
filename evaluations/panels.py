"""Evaluations' sections on the assignment pages (assignments.hooks) and the unit's request page."""

from django.template.loader import render_to_string

from evaluations.enums import Respondent
from evaluations.models import Evaluation
from evaluations.selectors import shared_with_resource


def _evaluation(assignment, respondent: str) -> Evaluation | None:
    return Evaluation.objects.filter(assignment=assignment, respondent=respondent).first()


def resource_assignment_panel(http_request, assignment) -> str:
    """The person's page of one assignment: their own evaluation, and what the unit said it led to."""
    evaluation = _evaluation(assignment, Respondent.RESOURCE)
    loop = list(shared_with_resource([assignment.pk]))
    if evaluation is None and not loop:
        return ""
    return render_to_string(
        "evaluations/panels/resource_assignment.html", {"evaluation": evaluation, "loop": loop}, request=http_request
    )


def unit_assignment_panel(http_request, assignment) -> str:
    evaluation = _evaluation(assignment, Respondent.UNIT)
    if evaluation is None:
        return ""
    return render_to_string("evaluations/panels/unit_evaluations.html", {"evaluations": [evaluation]}, request=http_request)


def coordinator_assignment_panel(http_request, assignment) -> str:
    evaluations = list(Evaluation.objects.filter(assignment=assignment).order_by("respondent"))
    if not evaluations:
        return ""
    return render_to_string("evaluations/panels/coordinator_assignment.html", {"evaluations": evaluations}, request=http_request)


def unit_request_panel(http_request, unit_request) -> str:
    """The unit's page of one request: the evaluations of its assignments, to answer there."""
    evaluations = list(
        Evaluation.objects.filter(assignment__request=unit_request, respondent=Respondent.UNIT)
        .select_related("assignment")
        .order_by("assignment__reference")
    )
    if not evaluations:
        return ""
    return render_to_string("evaluations/panels/unit_evaluations.html", {"evaluations": evaluations}, request=http_request)
