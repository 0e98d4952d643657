"""Answering an evaluation: from the signed link without signing in, or on one's own pages.

GET never changes anything. Every object fetched by id is scoped to the signed-in user."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from evaluations.forms import EvaluationForm
from evaluations.models import Evaluation
from evaluations.selectors import answers_of, own_evaluations, shared_with_resource, unit_evaluations
from evaluations.services import EvaluationError, evaluation_from_token, state_problem, submit

TEMPLATE = "evaluations/answer.html"


def _answer(request, evaluation: Evaluation, *, via: str, actor, context: dict):
    """The form, or the clear message why it cannot be answered; returns (context, status, done)."""
    problem = state_problem(evaluation)
    context.update(evaluation=evaluation, assignment=evaluation.assignment, problem=problem)
    if problem == "answered":
        context["answers"] = answers_of(evaluation)
    if problem:
        return context, (409 if request.method == "POST" else 200), False
    form = EvaluationForm(request.POST or None, evaluation=evaluation)
    context["form"] = form
    if request.method != "POST":
        return context, 200, False
    if not form.is_valid():
        return context, 400, False
    try:
        submit(evaluation, answers=form.answers(), quote_allowed=form.cleaned_data["quote_allowed"], actor=actor, via=via)
    except EvaluationError as exc:
        # Answered a moment ago (a double click, or another tab): say so, change nothing.
        evaluation.refresh_from_db()
        context.update(form=None, error=str(exc), problem=state_problem(evaluation))
        return context, 409, False
    return context, 200, True


@require_http_methods(["GET", "POST"])
def answer_by_link(request, token):
    evaluation, problem = evaluation_from_token(token)
    if evaluation is None:
        return render(request, TEMPLATE, {"problem": problem, "by_link": True}, status=400)
    context, status, done = _answer(request, evaluation, via="link", actor=None, context={"by_link": True})
    if done:
        context.update(form=None, done=True)
    return render(request, TEMPLATE, context, status=status)


@permission_required("evaluations.answer_own", raise_exception=True)
def own_list(request):
    evaluations = list(own_evaluations(request.user).order_by("-sent_at", "-pk"))
    loop = list(shared_with_resource([e.assignment_id for e in evaluations]))
    return render(
        request,
        "evaluations/own_list.html",
        {"evaluations": evaluations, "waiting": [e for e in evaluations if e.is_open], "loop": loop},
    )


@require_http_methods(["GET", "POST"])
@permission_required("evaluations.answer_own", raise_exception=True)
def own_detail(request, pk):
    evaluation = get_object_or_404(own_evaluations(request.user), pk=pk)
    return _own_or_unit(request, evaluation, redirect_to="evaluations:own_detail", back="evaluations:own_list")


@permission_required("evaluations.answer_for_unit", raise_exception=True)
def unit_list(request):
    evaluations = unit_evaluations(request.user).order_by("-sent_at", "-pk")
    return render(request, "evaluations/unit_list.html", {"evaluations": evaluations})


@require_http_methods(["GET", "POST"])
@permission_required("evaluations.answer_for_unit", raise_exception=True)
def unit_detail(request, pk):
    evaluation = get_object_or_404(unit_evaluations(request.user), pk=pk)
    return _own_or_unit(request, evaluation, redirect_to="evaluations:unit_detail", back="evaluations:unit_list")


def _own_or_unit(request, evaluation, *, redirect_to: str, back: str):
    context, status, done = _answer(request, evaluation, via="own_page", actor=request.user, context={"back": back})
    if done:
        messages.success(request, _("Tack för era svar!") if back == "evaluations:unit_list" else _("Tack för dina svar!"))
        return redirect(redirect_to, pk=evaluation.pk)
    return render(request, TEMPLATE, context, status=status)
