"""What every assignment page shares: the three sides, scoping, and the detail page's context.

The same drafting and signing views serve the unit's pages (/verksamhet/uppdrag/…), the
person's (/mina-sidor/uppdrag/…) and the coordinators' (/samordning/uppdrag/…); the URL
says which side, and the side decides the permission and the queryset. An assignment outside
the side's queryset is a 404 whatever its id.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from assignments import hooks
from assignments.enums import AssignmentStatus, CompletionStatus, Party
from assignments.models import Assignment
from assignments.selectors import assignments_for_coordinators, assignments_for_unit_staff, live_agreement, own_assignments
from assignments.services.agreements import check_ready, draft_content
from assignments.services.errors import AssignmentError
from assignments.services.signing import is_locked, party_for, signing_state


@dataclass(frozen=True)
class Side:
    name: str
    permission: str
    party: str
    panels: list

    def queryset(self, user):
        if self.name == "unit":
            return assignments_for_unit_staff(user)
        if self.name == "own":
            return own_assignments(user)
        return assignments_for_coordinators()

    def url(self, action: str, assignment: Assignment, *args) -> str:
        if self.name == "coordinator" and action == "detail":
            return reverse("assignments:detail", args=[assignment.pk, *args])
        return reverse(f"assignments:{self.name}_{action}", args=[assignment.pk, *args])


SIDES = {
    "unit": Side("unit", "assignments.use_unit_pages", Party.UNIT, hooks.UNIT_ASSIGNMENT_PAGE),
    "own": Side("own", "assignments.use_own_pages", Party.RESOURCE, hooks.RESOURCE_ASSIGNMENT_PAGE),
    "coordinator": Side("coordinator", "assignments.list", Party.COORDINATOR, hooks.ASSIGNMENT_PAGE),
}


def scoped(request, pk: int, side: str) -> tuple[Assignment, Side]:
    s = SIDES[side]
    if not request.user.has_perm(s.permission):
        raise PermissionDenied
    return get_object_or_404(s.queryset(request.user), pk=pk), s


def version_of(form) -> int | None:
    if form.is_bound and form.is_valid():
        return form.cleaned_data.get("version")
    try:
        return int(form.data.get("version", ""))
    except (TypeError, ValueError):
        return None


def detail_context(request, assignment: Assignment, side: Side) -> dict:
    user = request.user
    agreement = live_agreement(assignment)
    try:
        content = agreement.content if agreement else draft_content(assignment)
    except AssignmentError:
        content = None
    completion = getattr(assignment, "completion", None)
    party = party_for(assignment, user) if side.name != "coordinator" else None
    signatures = signing_state(agreement)
    signed_by_me = bool(party and signatures.get(party))
    status = assignment.status
    return {
        "assignment": assignment,
        "req": assignment.request,
        "side": side.name,
        "agreement": agreement,
        "content": content,
        "is_draft": agreement is None,
        "versions": list(assignment.agreements.prefetch_related("signatures").order_by("-version")),
        "signatures": signatures,
        "sessions": list(assignment.sessions.all()),
        "completion": completion,
        "can_draft": side.name != "own" and user.has_perm("assignments.draft", assignment) and completion is None,
        "ready_problems": check_ready(assignment) if status == AssignmentStatus.DRAFTING else [],
        "can_sign": party is not None and status == AssignmentStatus.SIGNING and not signed_by_me,
        "signed_by_me": signed_by_me,
        "locked": party is not None and agreement is not None and is_locked(agreement, user),
        "can_cancel": user.has_perm("assignments.cancel", assignment) and (side.name != "unit" or party == Party.UNIT),
        "can_report": side.name == "unit"
        and status == AssignmentStatus.SIGNED
        and (completion is None or completion.status == CompletionStatus.REPORTED),
        "can_answer_report": side.name == "own" and completion is not None and completion.status == CompletionStatus.REPORTED,
        "can_resolve": side.name == "coordinator" and completion is not None and completion.status == CompletionStatus.DISPUTED,
        "panels": hooks.render_panels(side.panels, request, assignment),
        "urls": _urls(side, assignment),
    }


def _urls(side: Side, assignment: Assignment) -> dict:
    names = {
        "unit": ["detail", "edit", "session_add", "send", "sign", "sign_code", "report", "cancel"],
        "own": ["detail", "sign", "sign_code", "confirm", "dispute", "cancel"],
        "coordinator": ["detail", "edit", "session_add", "send", "cancel", "resolve"],
    }[side.name]
    return {name: side.url(name, assignment) for name in names}
