"""Assignments' sections on other apps' pages (the request's pages, the person's page,
the start pages), registered in AssignmentsConfig.ready()."""

from django.conf import settings
from django.template.loader import render_to_string

from assignments.enums import ACTIVE_STATUSES, AssignmentStatus, CompletionStatus, Party
from assignments.models import Assignment
from assignments.reminders import report_overdue, unsigned_overdue
from assignments.selectors import (
    assignments_for_request,
    assignments_for_resource,
    assignments_for_unit_staff,
    own_assignments,
)
from registry.panels import newest


def triage_panel(http_request, unit_request) -> str:
    assignments = list(assignments_for_request(unit_request))
    if not assignments:
        return ""
    return render_to_string(
        "assignments/panels/triage.html", {"assignments": assignments, "req": unit_request}, request=http_request
    )


def unit_panel(http_request, unit_request) -> str:
    assignments = list(assignments_for_request(unit_request))
    if not assignments:
        return ""
    for a in assignments:
        # Out for signing and the unit has signed: nothing to do but wait for the person.
        a.unit_signed = any(s.party == Party.UNIT for ag in a.live_agreements[:1] for s in ag.signatures.all())
    return render_to_string("assignments/panels/unit.html", {"assignments": assignments}, request=http_request)


def resource_panel(http_request, resource) -> str:
    assignments, total = newest(assignments_for_resource(resource))
    return render_to_string(
        "assignments/panels/resource.html",
        {"assignments": assignments, "resource": resource, "total": total},
        request=http_request,
    )


def coordinator_home_panel(http_request) -> str:
    """Agreements unsigned too long and completion reports overdue."""
    unsigned = list(
        unsigned_overdue().select_related("assignment__request__unit", "assignment__resource").order_by("sent_at")[:20]
    )
    overdue = list(report_overdue().select_related("request__unit", "resource").order_by("last_session")[:20])
    disputed = list(
        Assignment.objects.filter(completion__status=CompletionStatus.DISPUTED).select_related("resource").order_by("pk")[:20]
    )
    return render_to_string(
        "assignments/panels/coordinator_home.html",
        {
            "unsigned": unsigned,
            "overdue": overdue,
            "disputed": disputed,
            "reminder_days": settings.AGREEMENT_REMINDER_DAYS,
            "overdue_days": settings.COMPLETION_OVERDUE_DAYS,
        },
        request=http_request,
    )


def resource_home_panel(http_request) -> str:
    assignments = list(own_assignments(http_request.user).filter(status__in=ACTIVE_STATUSES))
    to_sign = [
        a
        for a in assignments
        if a.status == AssignmentStatus.SIGNING
        and not any(s.party == Party.RESOURCE for ag in a.live_agreements for s in ag.signatures.all())
    ]
    to_confirm = [a for a in assignments if getattr(a, "completion", None) and a.completion.status == CompletionStatus.REPORTED]
    return render_to_string(
        "assignments/panels/resource_home.html",
        {"to_sign": to_sign, "to_confirm": to_confirm, "count": len(assignments)},
        request=http_request,
    )


def unit_home_panel(http_request) -> str:
    assignments = list(
        assignments_for_unit_staff(http_request.user)
        .filter(status__in=ACTIVE_STATUSES)
        .order_by("request__reference", "reference")
    )
    if not assignments:
        return ""
    return render_to_string("assignments/panels/unit_home.html", {"assignments": assignments}, request=http_request)
