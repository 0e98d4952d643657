"""The assignment pages: the coordinators' list, each side's page of one assignment, the
person's "Mina uppdrag", and cancelling."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from assignments.enums import ACTIVE_STATUSES, AssignmentStatus, CompletionStatus
from assignments.filters import AssignmentFilter
from assignments.forms import CancelForm, DisputeForm, OutcomesForm
from assignments.models import Assignment
from assignments.selectors import (
    ASSIGNMENT_COUNTS,
    assignment_rows_for_coordinators,
    live_agreement,
    own_assignments,
    session_days,
)
from assignments.services import AssignmentError, StaleVersion, cancel
from assignments.timeline import timeline_for
from assignments.views.common import detail_context, scoped
from config.bounded_paginator import BoundedPaginator
from config.choices import labels
from config.rows import rows_html, url_for_id


class AssignmentListView(PermissionRequiredMixin, ListView):
    permission_required = "assignments.list"
    template_name = "assignments/list.html"
    context_object_name = "assignments"
    paginate_by = 50
    paginator_class = BoundedPaginator  # exact up to 20,000 rows; beyond, "more than"

    def get_queryset(self):
        data = self.request.GET.copy()
        data.setdefault("status", "active")
        self.filterset = AssignmentFilter(data, queryset=Assignment.objects.order_by("-created_at", "-pk"))
        # Counted and paged as a model queryset (the count then leaves out the rows' joins); the
        # page's slice is read as plain rows in list_rows().
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def get_paginator(self, queryset, per_page, **kwargs):
        # A valid filter's count is kept for the views after it (an unticked box is no choice).
        if not self.filterset.is_valid():
            return super().get_paginator(queryset, per_page, **kwargs)
        chosen = {k: v for k, v in self.filterset.form.cleaned_data.items() if v not in (None, "", False)}
        return super().get_paginator(queryset, per_page, kept=(ASSIGNMENT_COUNTS, chosen), **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["rows_html"] = list_rows(ctx["assignments"])
        return ctx


# A row of the coordinators' list (written by rows_html: a template loop over fifty rows of
# seven cells was a fifth of the page's time).
LIST_ROW = (
    '<tr><td><a href="{url}">{reference}</a></td><td>{title}</td><td>{unit}</td><td>{name}</td>'
    "<td>{status}{report}</td><td>{sessions}</td><td>{signatures}</td></tr>"
)
REPORT = '<br><span class="small">{report}</span>'


def list_rows(assignments) -> str:
    """The page's rows: labels, dates and links made once per page, not per row."""
    assignments = list(assignment_rows_for_coordinators(assignments))
    days = session_days([a["pk"] for a in assignments])
    link = url_for_id("assignments:detail")
    statuses = labels(AssignmentStatus)
    reports = {status: rows_html(REPORT, [{"report": label}]) for status, label in labels(CompletionStatus).items()}
    signatures = _("v%(v)s: %(n)s av 2")

    def report(status):
        return (reports.get(status) or rows_html(REPORT, [{"report": status}])) if status else ""

    return rows_html(
        LIST_ROW,
        (
            {
                "url": link(a["pk"]),
                "reference": a["reference"],
                "title": a["title"],
                "unit": a["unit"],
                "name": f"{a['first_name']} {a['last_name']}".strip(),
                "status": statuses.get(a["status"], a["status"]),
                "report": report(a["report"]),
                "sessions": ", ".join(day.isoformat() for day in days.get(a["pk"], ())) or "–",
                "signatures": "–"
                if a["agreement_version"] is None
                else signatures % {"v": a["agreement_version"], "n": a["signed_by"]},
            }
            for a in assignments
        ),
    )


def detail(request, pk, side, *, status=200, cancel_form=None, dispute_form=None, resolve_form=None):
    """One assignment. The keyword arguments carry a refused form back with its errors and text."""
    assignment, s = scoped(request, pk, side)
    ctx = detail_context(request, assignment, s)
    ctx["cancel_form"] = cancel_form or CancelForm(initial={"version": assignment.version})
    if ctx["can_answer_report"]:
        ctx["dispute_form"] = dispute_form or DisputeForm(initial={"version": assignment.version})
    if ctx["can_resolve"]:
        ctx["resolve_form"] = resolve_form or OutcomesForm(
            initial={"version": assignment.version},
            sessions=ctx["sessions"],
            comment_label=_("Beslut (båda parter får läsa det)"),
            comment_required=True,
        )
    if s.name == "coordinator":
        ctx["timeline"] = timeline_for(assignment)
    return render(request, "assignments/detail.html", ctx, status=status)


@require_POST
def cancel_view(request, pk, side):
    assignment, s = scoped(request, pk, side)
    form = CancelForm(request.POST)
    if not request.user.has_perm("assignments.cancel", assignment):
        messages.error(request, _("Uppdraget kan inte ställas in nu."))
        return detail(request, pk, side, status=400)
    if not form.is_valid():
        messages.error(request, _("Uppdraget är inte inställt. Se markeringen i formuläret."))
        return detail(request, pk, side, status=400, cancel_form=form)
    try:
        cancel(
            assignment,
            actor=request.user,
            party=s.party,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except AssignmentError as exc:
        messages.error(request, str(exc))
        return detail(request, pk, side, status=409 if isinstance(exc, StaleVersion) else 400, cancel_form=form)
    messages.success(request, _("Uppdraget är inställt. De andra har fått besked."))
    return redirect(s.url("detail", assignment))


@permission_required("assignments.use_own_pages", raise_exception=True)
def own_list(request):
    """Mina uppdrag: to sign, coming, done (and cancelled)."""
    assignments = list(own_assignments(request.user).order_by("-created_at"))
    today = timezone.localdate()
    to_sign, coming, done = [], [], []
    for a in assignments:
        a.agreement_now = live_agreement(a)
        signed_by_me = a.agreement_now is not None and any(s.party == "resource" for s in a.agreement_now.signatures.all())
        if a.status == AssignmentStatus.SIGNING and not signed_by_me:
            to_sign.append(a)
        elif a.status in ACTIVE_STATUSES:
            coming.append(a)
        else:
            done.append(a)
        a.next_session = next((x for x in a.sessions.all() if x.date >= today), None)
    return render(request, "assignments/own_list.html", {"to_sign": to_sign, "coming": coming, "done": done})
