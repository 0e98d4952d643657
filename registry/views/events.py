"""Coordinators' pages for introduction trainings and network meetings."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from registry.enums import RSVP
from registry.events import (
    EventError,
    can_answer,
    cancel_event,
    events_with_counts,
    invitable,
    invite,
    places_left,
    record_attendance,
    save_event,
)
from registry.filters import PoolFilter
from registry.forms import AttendanceForm, CancelEventForm, EventForm
from registry.models import Event


class EventListView(PermissionRequiredMixin, ListView):
    permission_required = "registry.manage_events"
    template_name = "registry/event_list.html"
    context_object_name = "events"
    paginate_by = 30

    def get_queryset(self):
        self.past = self.request.GET.get("visa") == "tidigare"
        now = timezone.now()
        if self.past:
            return events_with_counts().filter(starts_at__lt=now).order_by("-starts_at")
        return events_with_counts().filter(starts_at__gte=now).order_by("starts_at")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["past"] = self.past
        return ctx


def _event(pk) -> Event:
    return get_object_or_404(Event, pk=pk)


@permission_required("registry.manage_events", raise_exception=True)
def event_form(request, pk=None):
    event = _event(pk) if pk else Event()
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = save_event(form.save(commit=False), actor=request.user, token=form.cleaned_data.get("token"))
            except EventError as exc:
                messages.error(request, str(exc))
                return redirect("registry:event_detail", pk=event.pk)
            messages.success(request, _("Träffen är sparad."))
            return redirect("registry:event_detail", pk=saved.pk)
        messages.error(request, _("Något behöver rättas. Se markeringarna i formuläret."))
    return render(request, "registry/event_form.html", {"form": form, "event": event if pk else None})


@permission_required("registry.manage_events", raise_exception=True)
def event_detail(request, pk):
    event = get_object_or_404(events_with_counts(), pk=pk)
    # The invite filter is a GET form on this page: the coordinator sees how many match before sending.
    pool = PoolFilter(request.GET or None, queryset=invitable(event), prefix="inv")
    candidates = pool.qs if pool.is_bound and pool.is_valid() else pool.queryset
    return render(
        request,
        "registry/event_detail.html",
        {
            "event": event,
            "invitations": event.invitations.select_related("resource"),
            "places_left": places_left(event),
            "can_invite": can_answer(event),
            "can_record_attendance": event.starts_at <= timezone.now() and event.cancelled_at is None,
            "pool": pool,
            "candidate_count": candidates.count(),
            "cancel_form": CancelEventForm(),
            "RSVP": RSVP,
        },
    )


@require_POST
@permission_required("registry.manage_events", raise_exception=True)
def invite_view(request, pk):
    event = _event(pk)
    pool = PoolFilter(request.POST, queryset=invitable(event), prefix="inv")
    if not pool.is_valid():
        messages.error(request, _("Urvalet gick inte att använda. Välj igen."))
        return redirect("registry:event_detail", pk=event.pk)
    try:
        count = invite(event, pool.qs, actor=request.user)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext("%(count)d person har fått en inbjudan.", "%(count)d personer har fått en inbjudan.", count)
            % {"count": count},
        )
    return redirect("registry:event_detail", pk=event.pk)


@require_POST
@permission_required("registry.manage_events", raise_exception=True)
def attendance_view(request, pk):
    event = _event(pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Närvaron sparades inte. Kryssa i listan och försök igen."))
        return redirect("registry:event_detail", pk=event.pk)
    try:
        record_attendance(event, set(form.cleaned_data["attended"]), actor=request.user)
    except EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Närvaron är sparad."))
    return redirect("registry:event_detail", pk=event.pk)


@require_POST
@permission_required("registry.manage_events", raise_exception=True)
def cancel_view(request, pk):
    event = _event(pk)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv ett skäl. Det skickas till dem som är inbjudna."))
        return redirect("registry:event_detail", pk=event.pk)
    cancel_event(event, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Träffen är inställd och de inbjudna har fått ett mejl."))
    return redirect("registry:event_detail", pk=event.pk)
