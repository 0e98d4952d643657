"""The person's own inquiries and conflicts of interest. Everything goes through the signed-in person."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from matching.enums import AnsweredVia, InquiryStatus
from matching.forms import AnswerForm, ConflictForm
from matching.models import Conflict
from matching.selectors import own_inquiries
from matching.services import MatchingError, add_conflict, remove_conflict
from registry.selectors import own_resource


def _own(request):
    resource = own_resource(request.user)
    if resource is None:
        raise Http404
    return resource


@permission_required("matching.use_own_pages", raise_exception=True)
def inquiry_list(request):
    _own(request)
    inquiries = list(own_inquiries(request.user).order_by("-sent_at"))
    return render(
        request,
        "matching/own_inquiries.html",
        {
            "waiting": [i for i in inquiries if i.status == InquiryStatus.SENT],
            "earlier": [i for i in inquiries if i.status != InquiryStatus.SENT],
        },
    )


@permission_required("matching.use_own_pages", raise_exception=True)
def inquiry_detail(request, pk):
    _own(request)
    inquiry = get_object_or_404(own_inquiries(request.user), pk=pk)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                form.record(inquiry, via=AnsweredVia.OWN_PAGE, actor=request.user)
            except MatchingError as exc:
                messages.error(request, str(exc))
                return redirect("matching:own_inquiry", pk=pk)
            messages.success(request, _("Tack för ditt svar!"))
            return redirect("matching:own_inquiry", pk=pk)
        status = 400
    return render(
        request,
        "matching/own_inquiry.html",
        {"inquiry": inquiry, "req": inquiry.request, "form": form, "can_answer": inquiry.status == InquiryStatus.SENT},
        status=status,
    )


@permission_required("matching.use_own_pages", raise_exception=True)
def conflicts(request):
    resource = _own(request)
    form = ConflictForm(request.POST or None, resource=resource)
    if request.method == "POST":
        if form.is_valid():
            add_conflict(resource, form.cleaned_data["unit"], note=form.cleaned_data["note"], actor=request.user)
            messages.success(request, _("Sparat. Vi frågar dig inte om uppdrag från den verksamheten."))
            return redirect("matching:own_conflicts")
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
    return render(
        request,
        "matching/own_conflicts.html",
        {"form": form, "conflicts": Conflict.objects.filter(resource=resource).select_related("unit")},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@permission_required("matching.use_own_pages", raise_exception=True)
def remove_own_conflict(request, pk):
    resource = _own(request)
    conflict = get_object_or_404(Conflict, resource=resource, pk=pk)
    remove_conflict(conflict, actor=request.user)
    messages.success(request, _("Borttaget."))
    return redirect("matching:own_conflicts")
