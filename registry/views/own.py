"""The experience resource's own pages. Everything is fetched through the signed-in person."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.audit import log_action
from registry.enums import ResourceStatus
from registry.events import EventError, answer, can_answer
from registry.export import export_data, export_pdf
from registry.forms import AwayPeriodForm, ProfileForm
from registry.models import AwayPeriod, EventInvitation
from registry.selectors import own_resource
from registry.services import TransitionError, request_to_leave, set_resource_status


def _own(request):
    resource = own_resource(request.user)
    if resource is None:
        raise Http404
    return resource


@permission_required("registry.use_own_pages", raise_exception=True)
def profile(request):
    resource = _own(request)
    form = ProfileForm(request.POST or None, instance=resource)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Dina uppgifter är sparade."))
            return redirect("registry:own_profile")
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
    return render(
        request,
        "registry/own_profile.html",
        {"resource": resource, "form": form, "away_form": AwayPeriodForm(), "away_periods": resource.away_periods.all()},
    )


@require_POST
@permission_required("registry.use_own_pages", raise_exception=True)
def add_away_period(request):
    resource = _own(request)
    form = AwayPeriodForm(request.POST)
    if form.is_valid():
        period = form.save(commit=False)
        period.resource = resource
        period.save()
        messages.success(request, _("Perioden är sparad. Vi frågar dig inte om uppdrag då."))
        return redirect("registry:own_profile")
    return render(
        request,
        "registry/own_profile.html",
        {
            "resource": resource,
            "form": ProfileForm(instance=resource),
            "away_form": form,
            "away_periods": resource.away_periods.all(),
        },
        status=400,
    )


@require_POST
@permission_required("registry.use_own_pages", raise_exception=True)
def delete_away_period(request, pk):
    period = get_object_or_404(AwayPeriod, pk=pk, resource=_own(request))
    period.delete()
    messages.success(request, _("Perioden är borttagen."))
    return redirect("registry:own_profile")


@require_POST
@permission_required("registry.use_own_pages", raise_exception=True)
def pause(request):
    resource = _own(request)
    target = ResourceStatus.PAUSED if request.POST.get("action") == "pause" else ResourceStatus.ACTIVE
    try:
        set_resource_status(resource, target, actor=request.user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        if target == ResourceStatus.PAUSED:
            messages.success(request, _("Du är pausad. Vi skickar inga förfrågningar till dig förrän du startar igen."))
        else:
            messages.success(request, _("Välkommen tillbaka! Nu kan vi fråga dig om uppdrag igen."))
    return redirect("pages:resource_home")


@permission_required("registry.use_own_pages", raise_exception=True)
def download_data(request, fmt):
    resource = _own(request)
    log_action("registry.resource.data_exported", obj=resource, data={"format": fmt})
    if fmt == "json":
        body = json.dumps(export_data(resource), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(export_pdf(resource), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mina-uppgifter.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("registry.use_own_pages", raise_exception=True)
def leave(request):
    resource = _own(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        request_to_leave(resource, actor=request.user)
        messages.success(request, _("Vi har tagit emot att du vill lämna. En samordnare tar bort dina uppgifter och hör av sig."))
        return redirect("pages:resource_home")
    return render(request, "registry/own_leave.html", {"resource": resource})


@permission_required("registry.use_own_pages", raise_exception=True)
def events(request):
    resource = _own(request)
    invitations = list(resource.event_invitations.select_related("event").order_by("-event__starts_at"))
    for invitation in invitations:
        invitation.open = can_answer(invitation.event)
    return render(request, "registry/own_events.html", {"resource": resource, "invitations": invitations})


@require_POST
@permission_required("registry.use_own_pages", raise_exception=True)
def answer_event(request, pk):
    invitation = get_object_or_404(EventInvitation, pk=pk, resource=_own(request))
    try:
        recorded = answer(invitation, request.POST.get("response", ""), actor=request.user)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, ANSWER_MESSAGES[recorded])
    return redirect("registry:own_events")


ANSWER_MESSAGES = {
    "yes": _lazy("Tack! Vi ses på träffen."),
    "no": _lazy("Tack för att du svarade. Vi hoppas att du kan komma en annan gång."),
    "waitlist": _lazy("Träffen är full. Du står på väntelistan och får ett mejl om en plats blir ledig."),
}
