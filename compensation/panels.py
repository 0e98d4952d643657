"""Compensation's sections on assignments' pages (assignments.hooks), rendered here."""

from django.template.loader import render_to_string

from compensation.models import FeeLine, NoFee, TravelClaim
from compensation.money import format_kr


def _render(request, assignment, **extra) -> str:
    lines = FeeLine.objects.filter(assignment=assignment).order_by("on_date", "pk")
    return render_to_string(
        "compensation/panels/assignment.html",
        {
            "assignment": assignment,
            "lines": [(line, format_kr(line.amount_ore)) for line in lines],
            "no_fee": NoFee.objects.filter(assignment=assignment).first(),
            "next": request.get_full_path(),
            **extra,
        },
        request=request,
    )


def coordinator_panel(request, assignment) -> str:
    claims = TravelClaim.objects.filter(assignment=assignment).select_related("session")
    return _render(request, assignment, can_mark=request.user.has_perm("compensation.mark_no_fee"), claims=claims)


def resource_panel(request, assignment) -> str:
    return _render(request, assignment, own=True)


def unit_panel(request, assignment) -> str:
    claims = TravelClaim.objects.filter(assignment=assignment).select_related("session")
    return _render(request, assignment, claims=claims)
