"""Completion: the unit reports each session, the person confirms or disputes, a coordinator resolves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.forms import DisputeForm, OutcomesForm, VersionedForm
from assignments.services import (
    AssignmentError,
    StaleVersion,
    confirm_completion,
    dispute_completion,
    report_completion,
    resolve_dispute,
)
from assignments.views.common import detail_context, scoped, version_of
from assignments.views.pages import detail


def report(request, pk, side):
    assignment, s = scoped(request, pk, side)
    if not request.user.has_perm("assignments.report", assignment):
        raise PermissionDenied
    ctx = detail_context(request, assignment, s)
    completion = ctx["completion"]
    form = OutcomesForm(
        request.POST or None,
        sessions=ctx["sessions"],
        initial={"version": assignment.version, "comment": completion.unit_comment if completion else ""},
    )
    status = 200
    if not ctx["can_report"]:
        messages.info(request, _("Det går inte att rapportera just nu."))
        return redirect(s.url("detail", assignment))
    if request.method == "POST":
        if form.is_valid():
            try:
                report_completion(
                    assignment,
                    form.outcomes(),
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=version_of(form),
                )
            except AssignmentError as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, StaleVersion) else 400
            else:
                messages.success(request, _("Tack! Rapporten är skickad. Personen får bekräfta den."))
                return redirect(s.url("detail", assignment))
        else:
            messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
            status = 400
    return render(request, "assignments/report.html", {**ctx, "form": form}, status=status)


@require_POST
def confirm(request, pk, side):
    assignment, s = scoped(request, pk, side)
    if not request.user.has_perm("assignments.answer_report", assignment):
        raise PermissionDenied
    try:
        confirm_completion(assignment, actor=request.user, expected_version=version_of(VersionedForm(request.POST)))
    except AssignmentError as exc:
        messages.error(request, str(exc))
        return detail(request, pk, side, status=409 if isinstance(exc, StaleVersion) else 400)
    messages.success(request, _("Tack! Uppdraget är klart."))
    return redirect(s.url("detail", assignment))


@require_POST
def dispute(request, pk, side):
    assignment, s = scoped(request, pk, side)
    if not request.user.has_perm("assignments.answer_report", assignment):
        raise PermissionDenied
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Något behöver rättas. Se markeringen i formuläret."))
        return detail(request, pk, side, status=400, dispute_form=form)
    try:
        dispute_completion(assignment, form.cleaned_data["comment"], actor=request.user, expected_version=version_of(form))
    except AssignmentError as exc:
        messages.error(request, str(exc))
        return detail(request, pk, side, status=409 if isinstance(exc, StaleVersion) else 400, dispute_form=form)
    messages.success(request, _("Tack! Samordnarna har fått det du skrev och hör av sig."))
    return redirect(s.url("detail", assignment))


@require_POST
def resolve(request, pk, side):
    assignment, s = scoped(request, pk, side)
    if not request.user.has_perm("assignments.resolve", assignment):
        raise PermissionDenied
    form = OutcomesForm(
        request.POST,
        sessions=list(assignment.sessions.all()),
        comment_label=_("Beslut (båda parter får läsa det)"),
        comment_required=True,
    )
    if not form.is_valid():
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
        return detail(request, pk, side, status=400, resolve_form=form)
    try:
        resolve_dispute(
            assignment, form.cleaned_data["comment"], form.outcomes(), actor=request.user, expected_version=version_of(form)
        )
    except AssignmentError as exc:
        messages.error(request, str(exc))
        return detail(request, pk, side, status=409 if isinstance(exc, StaleVersion) else 400, resolve_form=form)
    messages.success(request, _("Avgjort. Uppdraget är klart."))
    return redirect(s.url("detail", assignment))
