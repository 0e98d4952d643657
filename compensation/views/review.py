"""Coordinators attest lines and mark "no fee"; the unit's staff or a coordinator decide claims."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.enums import Role
from assignments.models import Assignment
from compensation import selectors
from compensation.forms import DecisionForm, ReasonForm
from compensation.models import FeeLine, TravelClaim
from compensation.money import format_kr
from compensation.services import CompensationError, approve_lines, decide_claim, mark_no_fee, unmark_no_fee


@permission_required("compensation.attest", raise_exception=True)
def attest(request):
    if request.method == "POST":
        # ASCII digits that fit a bigint ("²" is a digit to isdigit(); 2**63 overflows the database)
        ids = [int(v) for v in request.POST.getlist("line") if v.isascii() and v.isdigit() and len(v) < 19]
        count = approve_lines(FeeLine.objects.filter(pk__in=ids), actor=request.user)
        messages.success(request, _("%(n)d rader attesterade.") % {"n": count})
        return redirect("compensation:attest")
    lines = list(selectors.lines_to_attest()[:500])
    return render(
        request,
        "compensation/attest.html",
        {"lines": [(line, format_kr(line.amount_ore)) for line in lines], "claims": selectors.claims_to_decide()[:200]},
    )


def _claims_for(user):
    if user.has_role(Role.COORDINATOR):
        return TravelClaim.objects.select_related("assignment__request__unit", "session", "resource")
    return selectors.claims_for_unit_staff(user)


@permission_required("compensation.decide_claim", raise_exception=True)
def claim_detail(request, pk):
    claim = get_object_or_404(_claims_for(request.user), pk=pk)
    form = DecisionForm(request.POST or None, claim=claim)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decide_claim(
                    claim,
                    approve=data["decision"] in ("approve", "change"),
                    reason=data["reason"],
                    actor=request.user,
                    kilometres=data.get("kilometres"),
                    amount=data.get("amount"),
                )
            except CompensationError as exc:
                messages.error(request, str(exc))
                return redirect("compensation:claim", pk=pk)
            messages.success(request, _("Beslutet är sparat."))
            return redirect("compensation:claim", pk=pk)
        status = 400
    return render(
        request,
        "compensation/claim_detail.html",
        {"claim": claim, "form": form, "lines": [(line, format_kr(line.amount_ore)) for line in claim.lines.all()]},
        status=status,
    )


@permission_required("compensation.decide_claim", raise_exception=True)
def claim_receipt(request, pk):
    claim = get_object_or_404(_claims_for(request.user).exclude(receipt=""), pk=pk)
    try:
        handle = claim.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=claim.receipt_name or "kvitto")


@require_POST
@permission_required("compensation.mark_no_fee", raise_exception=True)
def no_fee(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    if request.POST.get("action") == "remove":
        unmark_no_fee(assignment, actor=request.user)
        messages.success(request, _("Arvode betalas för uppdraget."))
    else:
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            if "reason" in form.errors and form.data.get("reason", "").strip():
                raise CompensationError(" ".join(form.errors["reason"]))  # e.g. a NUL byte, which no database stores
            mark_no_fee(assignment, reason=form.cleaned_data.get("reason", ""), actor=request.user)
            messages.success(request, _("Uppdraget är markerat: inget arvode."))
        except CompensationError as exc:
            messages.error(request, str(exc))
    target = request.POST.get("next", "")
    # a path on this site only (a bare word would be taken for a view name and fail to reverse)
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("compensation:attest")


@permission_required("compensation.unit_costs", raise_exception=True)
def unit_costs(request):
    units = list(request.user.care_units.all())
    report = [
        {**row, "total_kr": format_kr(row["total"]), "paid_kr": format_kr(row["paid"] or 0)}
        for row in selectors.cost_report(units=units)
    ]
    claims = selectors.claims_for_unit_staff(request.user).order_by("-created_at")[:200]
    return render(request, "compensation/unit_costs.html", {"units": units, "report": report, "claims": claims})
