"""Drafting the agreement: its fields and its sessions, then out for signing. The unit's staff
and coordinators use the same views (the URL says which side)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.forms import AgreementForm, SessionForm, VersionedForm
from assignments.services import (
    AssignmentError,
    StaleVersion,
    add_session,
    remove_session,
    send_for_signing,
    update_agreement,
    update_session,
)
from assignments.services.agreements import AGREEMENT_FIELDS
from assignments.views.common import scoped, version_of


def _draftable(request, pk, side):
    assignment, s = scoped(request, pk, side)
    if s.name == "own" or not request.user.has_perm("assignments.draft", assignment):
        raise PermissionDenied
    return assignment, s


def _changed_message(assignment) -> str:
    if assignment.status in ("signing", "signed") and assignment.agreements.filter(voided_at__isnull=False).exists():
        return _("Sparat. Överenskommelsen är ändrad och båda behöver skriva under den nya versionen.")
    return _("Sparat.")


def edit(request, pk, side):
    assignment, s = _draftable(request, pk, side)
    form = AgreementForm(request.POST or None, instance=assignment, initial={"version": assignment.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in AGREEMENT_FIELDS}
            try:
                updated = update_agreement(assignment, values, actor=request.user, expected_version=version_of(form))
            except AssignmentError as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, StaleVersion) else 400
            else:
                messages.success(request, _changed_message(updated))
                return redirect(s.url("detail", assignment))
        else:
            messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
            status = 400
    return render(
        request,
        "assignments/edit.html",
        {"form": form, "assignment": assignment, "back": s.url("detail", assignment), "side": s.name},
        status=status,
    )


def session_form(request, pk, side, session_pk=None):
    assignment, s = _draftable(request, pk, side)
    session = get_object_or_404(assignment.sessions.all(), pk=session_pk) if session_pk else None
    form = SessionForm(request.POST or None, instance=session, initial={"version": assignment.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if session is None:
                    add_session(assignment, form.values(), actor=request.user, expected_version=version_of(form))
                else:
                    update_session(session, form.values(), actor=request.user, expected_version=version_of(form))
            except AssignmentError as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, StaleVersion) else 400
            else:
                assignment.refresh_from_db()
                messages.success(request, _changed_message(assignment))
                return redirect(s.url("detail", assignment))
        else:
            messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
            status = 400
    return render(
        request,
        "assignments/session_form.html",
        {"form": form, "assignment": assignment, "session": session, "back": s.url("detail", assignment), "side": s.name},
        status=status,
    )


@require_POST
def session_remove(request, pk, side, session_pk):
    assignment, s = _draftable(request, pk, side)
    session = get_object_or_404(assignment.sessions.all(), pk=session_pk)
    try:
        remove_session(session, actor=request.user, expected_version=version_of(VersionedForm(request.POST)))
    except AssignmentError as exc:
        messages.error(request, str(exc))
    else:
        assignment.refresh_from_db()
        messages.success(request, _("Tillfället är borttaget."))
    return redirect(s.url("detail", assignment))


@require_POST
def send(request, pk, side):
    assignment, s = _draftable(request, pk, side)
    try:
        send_for_signing(assignment, actor=request.user, expected_version=version_of(VersionedForm(request.POST)))
    except AssignmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Överenskommelsen är skickad för underskrift. Båda parter har fått ett mejl."))
    return redirect(s.url("detail", assignment))
