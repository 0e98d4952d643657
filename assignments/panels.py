"""Assignments' sections on other apps' pages (the request's pages, the person's page,
the start pages), registered in AssignmentsConfig.ready()."""

from django.template.loader import render_to_string

from assignments.selectors import assignments_for_request, assignments_for_resource

REQUEST_TIMELINE_LABELS = {}


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
    return render_to_string("assignments/panels/unit.html", {"assignments": assignments}, request=http_request)


def resource_panel(http_request, resource) -> str:
    assignments = list(assignments_for_resource(resource))
    return render_to_string(
        "assignments/panels/resource.html", {"assignments": assignments, "resource": resource}, request=http_request
    )
