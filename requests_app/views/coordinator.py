"""The coordinators' triage: the board, a request's page and what can be done there."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import timesince_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from config.bounded_paginator import BoundedPaginator
from config.rows import long_dates, rows_html, url_for_id
from requests_app.enums import (
    NOT_BY_COORDINATOR,
    REASON_REQUIRED,
    TRANSITIONS,
    WAITING_STATUSES,
    JoinKind,
    JoinStatus,
    RequestStatus,
    coordinator_moves,
)
from requests_app.filters import BoardFilter
from requests_app.forms import CoordinatorMessageForm, NoteForm, ResponsibleForm, StatusForm
from requests_app.models import UnitJoinRequest
from requests_app.panels import TRIAGE_PAGE, render_panels
from requests_app.selectors import (
    BOARD_COUNTS,
    board_requests,
    board_rows,
    board_summary,
    coordinators,
    requests_for_coordinators,
)
from requests_app.services import (
    RequestError,
    StaleVersion,
    add_note,
    assign,
    decide_unit_request,
    set_request_status,
)
from requests_app.timeline import timeline_for
from requests_app.views.unit import attachment_response, post_message

# A row of the board (requests_app/board.html has the table around it).
BOARD_ROW = (
    '<tr><td><a href="{url}">{reference}</a></td>'
    '<td>{title}<br><span class="small text-body-secondary">{areas}</span></td><td>{unit}</td><td>{kind}</td>'
    '<td><span class="badge status-{status}">{status_label}</span></td><td>{submitted}</td><td>{waited}</td>'
    "<td>{starts}</td><td>{reply}</td><td>{responsible}</td></tr>"
)


class BoardView(PermissionRequiredMixin, ListView):
    permission_required = "requests.triage"
    template_name = "requests_app/board.html"
    context_object_name = "requests"
    paginate_by = 50
    paginator_class = BoundedPaginator  # exact up to 20,000 rows; beyond, "more than"

    def get_queryset(self):
        data = self.request.GET.copy()
        data.setdefault("status", "open")  # the board opens on what needs doing
        self.filterset = BoardFilter(data, queryset=board_requests(), user=self.request.user)
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def get_paginator(self, queryset, per_page, **kwargs):
        # A valid filter's count is kept for the views after it; "me" is a different list for each coordinator.
        if not self.filterset.is_valid():
            return super().get_paginator(queryset, per_page, **kwargs)
        chosen = {k: v for k, v in self.filterset.form.cleaned_data.items() if k != "order" and v not in (None, "")}
        if chosen.get("responsible") == "me":
            chosen["responsible"] = f"me:{self.request.user.pk}"
        return super().get_paginator(queryset, per_page, kept=(BOARD_COUNTS, chosen), **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["summary"] = board_summary()
        # The page's rows as plain values, written here (config.rows): each address, date and
        # wait worked out once, not per row in the template.
        ctx["requests"] = rows = board_rows(ctx["page_obj"].object_list, self.filterset.taxonomies)
        now, detail, long_date = timezone.now(), url_for_id("requests_app:triage_detail"), long_dates()
        ctx["rows_html"] = rows_html(
            BOARD_ROW,
            (
                {
                    "url": detail(row.pk),
                    "reference": row.reference,
                    "title": row.title,
                    "areas": ", ".join(row.area_names),
                    "unit": row.unit_name,
                    "kind": row.kind_label,
                    "status": row.status,
                    "status_label": row.status_label,
                    "submitted": long_date(row.submitted_at),
                    "waited": timesince_filter(row.submitted_at, now) if row.status in WAITING_STATUSES else "–",
                    "starts": long_date(row.starts_on) or "–",
                    "reply": long_date(row.reply_by) or "–",
                    "responsible": row.responsible or "–",
                }
                for row in rows
            ),
        )
        return ctx


def _request(pk):
    return get_object_or_404(requests_for_coordinators(), pk=pk)


@permission_required("requests.triage", raise_exception=True)
def triage_detail(request, pk, *, status_form=None, reason_error="", message_form=None, note_form=None, status=200):
    """The request for a coordinator. The keyword arguments carry a refused form back, so the
    page shows its error beside the field and keeps what was typed."""
    obj = _request(pk)
    return render(
        request,
        "requests_app/triage_detail.html",
        {
            "req": obj,
            "transitions": [s for s in coordinator_moves(obj.status) if s not in REASON_REQUIRED],
            "transitions_with_reason": [s for s in coordinator_moves(obj.status) if s in REASON_REQUIRED],
            "coordinators": coordinators(),
            "messages_list": obj.messages.select_related("author"),
            "notes": obj.notes.select_related("author"),
            "timeline": timeline_for(obj),
            "message_form": message_form or CoordinatorMessageForm(can_ask=_can_ask(obj)),
            "note_form": note_form or NoteForm(),
            "status_form": status_form,
            # the status form that was sent, and what it said
            "posted_status": status_form.data.get("status", "") if status_form else "",
            "posted_reason": status_form.data.get("reason", "") if status_form else "",
            "reason_error": reason_error,
            "panels": render_panels(TRIAGE_PAGE, request, obj),
        },
        status=status,
    )


@require_POST
@permission_required("requests.triage", raise_exception=True)
def change_status(request, pk):
    obj = _request(pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en status."))
        return triage_detail(request, pk, status_form=form, status=400)
    if form.cleaned_data["status"] in NOT_BY_COORDINATOR & TRANSITIONS[obj.status]:
        messages.error(request, _("Den statusen sätts inte här: matchningen sätter den, eller verksamheten själv."))
        return triage_detail(request, pk, status_form=form, status=400)
    if form.cleaned_data["status"] in REASON_REQUIRED and not form.cleaned_data["reason"].strip():
        error = _("Skriv ett skäl. Verksamheten får läsa det.")
        messages.error(request, error)
        return triage_detail(request, pk, status_form=form, reason_error=error, status=400)
    try:
        set_request_status(
            obj,
            form.cleaned_data["status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except RequestError as exc:
        messages.error(request, str(exc))
        # 409 for a stale form, 400 for a refused change: either way the page shows the present state.
        return triage_detail(request, pk, status_form=form, status=409 if isinstance(exc, StaleVersion) else 400)
    messages.success(request, _("Status ändrad till %(status)s.") % {"status": RequestStatus(form.cleaned_data["status"]).label})
    return redirect("requests_app:triage_detail", pk=pk)


@require_POST
@permission_required("requests.triage", raise_exception=True)
def change_responsible(request, pk):
    obj = _request(pk)
    form = ResponsibleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en samordnare i listan."))
        return triage_detail(request, pk, status=400)
    choice, version = form.cleaned_data["responsible"], form.cleaned_data["version"]
    coordinator = None
    if choice == "me":
        coordinator = request.user
    elif choice:
        coordinator = get_object_or_404(coordinators(), pk=choice)
    try:
        assign(obj, coordinator, actor=request.user, expected_version=version)
    except RequestError as exc:
        messages.error(request, str(exc))
        return triage_detail(request, pk, status=409)
    if coordinator == request.user:
        messages.success(request, _("Du är ansvarig för förfrågan."))
    elif coordinator:
        messages.success(request, _("%(name)s är ansvarig och har fått ett mejl.") % {"name": coordinator.get_full_name()})
    else:
        messages.success(request, _("Förfrågan har ingen ansvarig nu."))
    return redirect("requests_app:triage_detail", pk=pk)


@require_POST
@permission_required("requests.triage", raise_exception=True)
def note(request, pk):
    obj = _request(pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Anteckningen sparades inte. Se markeringen i formuläret."))
        return triage_detail(request, pk, note_form=form, status=400)
    add_note(obj, form.cleaned_data["body"], actor=request.user)
    messages.success(request, _("Anteckningen är sparad."))
    return redirect("requests_app:triage_detail", pk=pk)


def _can_ask(unit_request) -> bool:
    return RequestStatus.NEEDS_INFO in TRANSITIONS[unit_request.status]


@require_POST
@permission_required("requests.triage", raise_exception=True)
def message(request, pk):
    """A message to the unit; ticked "waiting for the answer", it is also the question
    that sets the request to "needs information" (one message, one mail)."""
    obj = _request(pk)
    form = CoordinatorMessageForm(request.POST, can_ask=_can_ask(obj))
    if form.is_valid() and form.cleaned_data.get("ask_for_information"):
        try:
            set_request_status(obj, RequestStatus.NEEDS_INFO, actor=request.user, reason=form.cleaned_data["body"])
        except RequestError as exc:
            messages.error(request, str(exc))
            return triage_detail(request, pk, message_form=form, status=409 if isinstance(exc, StaleVersion) else 400)
        messages.success(request, _("Frågan är skickad. Förfrågan väntar på verksamhetens svar."))
        return redirect("requests_app:triage_detail", pk=pk)
    return post_message(
        request,
        obj,
        form=form,
        from_unit=False,
        page=triage_detail,
        sent=_("Meddelandet är skickat till verksamheten."),
        back="requests_app:triage_detail",
    )


@permission_required("requests.triage", raise_exception=True)
def triage_attachment(request, pk):
    return attachment_response(_request(pk))


@permission_required("requests.triage", raise_exception=True)
def unit_requests(request):
    pending = UnitJoinRequest.objects.filter(status=JoinStatus.PENDING).select_related("user", "unit")
    return render(request, "requests_app/unit_requests.html", {"pending": pending})


@require_POST
@permission_required("requests.triage", raise_exception=True)
def decide_unit(request, pk):
    join_request = get_object_or_404(UnitJoinRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        decide_unit_request(join_request, approve=approve, actor=request.user)
    except RequestError as exc:
        messages.error(request, str(exc))
    else:
        if not approve:
            messages.success(request, _("Ansökan är avböjd."))
        elif join_request.kind == JoinKind.EXISTING_UNIT:
            messages.success(request, _("Personen är nu knuten till verksamheten."))
        else:
            messages.success(request, _("Verksamheten är tillagd."))
    return redirect("requests_app:unit_requests")
