"""Mina sidor → Ersättning: the person's own lines, claims, payee details and yearly statement."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from accounts.audit import log_action
from assignments.enums import AssignmentStatus
from assignments.models import Assignment
from compensation import exports, selectors
from compensation.forms import ClaimForm, PayeeForm
from compensation.models import Payee
from compensation.money import format_kr
from compensation.services import CompensationError, submit_claim
from compensation.services.fees import can_claim, claim_deadline
from registry.selectors import own_resource


def _own(request):
    resource = own_resource(request.user)
    if resource is None:
        raise Http404
    return resource


@permission_required("compensation.own", raise_exception=True)
def fees(request):
    resource = _own(request)
    lines = list(selectors.own_lines(resource))
    assignments = list(
        Assignment.objects.filter(resource=resource, status__in=[AssignmentStatus.SIGNED, AssignmentStatus.DONE])
        .prefetch_related("sessions")
        .order_by("-created_at")[:20]
    )
    claimable = [(a, claim_deadline(a)) for a in assignments if can_claim(a)]
    return render(
        request,
        "compensation/own_fees.html",
        {
            "lines": [(line, format_kr(line.amount_ore)) for line in lines],
            "claims": selectors.own_claims(resource),
            "claimable": claimable,
            "payee": Payee.objects.filter(resource=resource).first(),
            "years": sorted({line.batch.paid_at.year for line in lines if line.batch and line.batch.paid_at}, reverse=True),
        },
    )


@permission_required("compensation.own", raise_exception=True)
def payee(request):
    resource = _own(request)
    instance = Payee.objects.filter(resource=resource).first() or Payee(resource=resource, legal_name=resource.full_name)
    form = PayeeForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()  # the audit log records the change, the numbers masked
            messages.success(request, _("Tack! Dina utbetalningsuppgifter är sparade."))
            return redirect("compensation:own_fees")
        status = 400
    return render(request, "compensation/own_payee.html", {"form": form, "payee": instance}, status=status)


@permission_required("compensation.own", raise_exception=True)
def claim(request, pk):
    resource = _own(request)
    assignment = get_object_or_404(
        Assignment.objects.filter(resource=resource, status__in=[AssignmentStatus.SIGNED, AssignmentStatus.DONE]), pk=pk
    )
    if not can_claim(assignment):
        messages.error(request, _("Tiden för att begära ersättning för det här uppdraget har gått ut."))
        return redirect("compensation:own_fees")
    form = ClaimForm(request.POST or None, request.FILES or None, assignment=assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                submit_claim(form.save(commit=False), actor=request.user, token=form.cleaned_data.get("token"))
            except CompensationError as exc:
                messages.error(request, str(exc))
                return redirect("compensation:own_fees")
            messages.success(request, _("Tack! Vi har tagit emot din begäran. Du ser beslutet här."))
            return redirect("compensation:own_fees")
        status = 400
    return render(
        request,
        "compensation/own_claim.html",
        {"form": form, "assignment": assignment, "deadline": claim_deadline(assignment)},
        status=status,
    )


@permission_required("compensation.own", raise_exception=True)
def yearly_statement(request, year):
    resource = _own(request)
    lines = list(selectors.paid_in_year(resource, year))
    if not lines:
        raise Http404
    log_action("compensation.statement.downloaded", actor=request.user, obj=resource, data={"year": year})
    pdf = exports.yearly_statement_pdf(resource, year, lines)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsbesked-{year}.pdf"'
    return response
