"""Finance (/ekonomi/): what is payable, batches and their files, payees, reports. No health data here."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.audit import log_action
from accounts.enums import Role
from compensation import exports, selectors
from compensation.enums import BatchStatus, LineKind
from compensation.forms import BatchForm, ReasonForm
from compensation.models import FeeLine, Payee, PayoutBatch
from compensation.money import format_kr
from compensation.services import CompensationError, create_batch, mark_exported, mark_paid, reverse_line
from config.rows import rows_html, url_for_id

PAGE = 50  # rows a page of open lines or of a batch's lines


def _money(rows, *fields):
    return [{**row, **{f"{f}_kr": format_kr(row[f] or 0) for f in fields}} for row in rows]


@permission_required("compensation.finance", raise_exception=True)
def payable(request):
    form = BatchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = create_batch(
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    actor=request.user,
                    token=form.cleaned_data.get("token"),
                )
            except CompensationError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("Utbetalning %(ref)s är skapad.") % {"ref": batch.reference})
                return redirect("compensation:batch", pk=batch.pk)
        else:
            status = 400
    after = _group_after(request.GET)
    rows = [
        {
            **row,
            "total_kr": format_kr(row["total"] or 0),
            "name": f"{row['resource__first_name']} {row['resource__last_name']}",
            "month_text": f"{row['month']:%Y-%m}",
        }
        for row in selectors.payable_page(after, size=PAGE)
    ]
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    open_lines = selectors.open_lines_total()
    next_query = ""
    if more:
        last = rows[-1]
        next_query = urlencode(
            {
                "kst": last["cost_centre"],
                "enhet": last["unit_id"],
                "person": last["resource_id"],
                "manad": f"{last['month']:%Y-%m}",
            }
        )
    return render(
        request,
        "compensation/finance_payable.html",
        {
            "rows": rows,
            "lines": open_lines["lines"],
            "total_kr": format_kr(open_lines["total"] or 0),
            "next_query": next_query,
            "first_page": after is not None,
            "form": form,
        },
        status=status,
    )


def _group_after(params):
    """The group a page of open lines starts after (`?kst=&enhet=&person=&manad=YYYY-MM`), or None."""
    try:
        year, month = (int(part) for part in params["manad"].split("-"))
        centre = params["kst"]
        if len(centre) > 40 or "\x00" in centre:  # no cost centre is longer; no database stores a NUL
            return None
        return (centre, int(params["enhet"]), int(params["person"]), date(year, month, 1))
    except (KeyError, ValueError):
        return None


@permission_required("compensation.finance", raise_exception=True)
def batch_list(request):
    """The batches, newest first, a page at a time; rows read as values, labels looked up once."""
    page = Paginator(selectors.batch_rows(), PAGE).get_page(request.GET.get("page"))
    statuses = {status: str(label) for status, label in BatchStatus.choices}
    batches = [
        {
            **row,
            "period": f"{row['period_start']:%Y-%m-%d} – {row['period_end']:%Y-%m-%d}",
            "status_label": statuses.get(row["status"], row["status"]),
            "total_kr": format_kr(row["total_ore"]),
        }
        for row in page
    ]
    return render(request, "compensation/finance_batches.html", {"batches": batches, "page": page})


# A batch's line as a table row, and the form that reverses it (written by rows_html: fifty rows
# of forms through a template loop were a third of the page's time).
LINE_ROW = (
    "<tr><td>{day}</td><td>{assignment__reference}</td><td>{name}</td><td>{kind_label}</td>"
    '<td class="text-end">{amount_kr}</td><td>{last}</td></tr>'
)
REVERSE_FORM = (
    '<form method="post" action="{action}" class="d-flex gap-1">{csrf}'
    '<label class="visually-hidden" for="reason-{pk}">{reason_label}</label>'
    '<input class="form-control form-control-sm" id="reason-{pk}" name="reason" required>'
    '<button type="submit" class="btn btn-sm btn-outline-danger">{reverse_label}</button></form>'
)


@permission_required("compensation.finance", raise_exception=True)
def batch_detail(request, pk):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    after = _int(request.GET.get("efter"))
    lines = selectors.batch_lines(batch, after=after, size=PAGE)
    more = len(lines) > PAGE
    lines = lines[:PAGE]
    return render(
        request,
        "compensation/finance_batch.html",
        {
            "batch": batch,
            "total_kr": format_kr(batch.total_ore),
            "lines_html": batch_line_rows(request, batch, lines),
            "next_after": lines[-1]["pk"] if more else None,
            "first_page": after > 0,
            "missing_payees": selectors.people_without_payee(batch),
        },
    )


def batch_line_rows(request, batch, lines) -> str:
    """The lines' table rows: labels, links and amounts made once per page, not per row. The last
    cell says whether the line is a reversal or reversed, or (once the batch is exported) holds
    the form that reverses it."""
    kinds = {kind: str(label) for kind, label in LineKind.choices}
    reversal, reversed_, reversible = _("Återföring"), _("Återförd"), batch.status != BatchStatus.CREATED
    reverse_url = url_for_id("compensation:line_reverse")  # one reverse() for the page
    form = {
        "csrf": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
        "reason_label": _("Skäl till återföring"),
        "reverse_label": _("Återför"),
    }

    def last(line):
        if line["reverses_id"]:
            return reversal
        if line["reversed"]:
            return reversed_
        return rows_html(REVERSE_FORM, [{**form, "action": reverse_url(line["pk"]), "pk": line["pk"]}]) if reversible else ""

    return rows_html(
        LINE_ROW,
        (
            {
                "day": line["on_date"].isoformat(),
                "assignment__reference": line["assignment__reference"],
                "name": f"{line['resource__first_name']} {line['resource__last_name']}".strip(),
                "kind_label": kinds.get(line["kind"], line["kind"]),
                "amount_kr": format_kr(line["amount_ore"]),
                "last": last(line),
            }
            for line in lines
        ),
    )


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


@permission_required("compensation.finance", raise_exception=True)
def batch_cost_centres(request, pk):
    """The batch's sums per cost centre and unit (kept when it was made), a hundred a page."""
    batch = get_object_or_404(PayoutBatch, pk=pk)
    page = Paginator(selectors.batch_by_cost_centre(batch), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "compensation/finance_batch_cost_centres.html",
        {"batch": batch, "total_kr": format_kr(batch.total_ore), "page": page, "rows": _money(page, "total")},
    )


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sie": ("text/plain; charset=cp437", "se"),
    "pdf": ("application/pdf", "pdf"),
}


@permission_required("compensation.finance", raise_exception=True)
def batch_export(request, pk, fmt):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    if fmt not in FORMATS:
        raise Http404
    content_type, ending = FORMATS[fmt]
    log_action("compensation.batch.exported_file", actor=request.user, obj=batch, data={"format": fmt})
    mark_exported(batch, actor=request.user)
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(batch), content_type=content_type)
    else:
        body = {"xlsx": exports.xlsx_bytes, "sie": exports.sie_bytes, "pdf": exports.pdf_bytes}[fmt](batch)
        response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.{ending}"'
    return response


@require_POST
@permission_required("compensation.finance", raise_exception=True)
def batch_paid(request, pk):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    try:
        mark_paid(batch, actor=request.user)
        messages.success(request, _("Utbetalningen är markerad som betald."))
    except CompensationError as exc:
        messages.error(request, str(exc))
    return redirect("compensation:batch", pk=pk)


@require_POST
@permission_required("compensation.finance", raise_exception=True)
def line_reverse(request, pk):
    line = get_object_or_404(FeeLine.objects.filter(batch__isnull=False), pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        if "reason" in form.errors and form.data.get("reason", "").strip():
            raise CompensationError(" ".join(form.errors["reason"]))  # e.g. a NUL byte, which no database stores
        reverse_line(line, reason=form.cleaned_data.get("reason", ""), actor=request.user)
        messages.success(request, _("En återföring är gjord. Den kommer med i nästa utbetalning."))
    except CompensationError as exc:
        messages.error(request, str(exc))
    return redirect("compensation:batch", pk=line.batch_id)


@permission_required("compensation.finance", raise_exception=True)
def payee_list(request):
    return render(request, "compensation/finance_payees.html", {"payees": selectors.payees()[:1000]})


@permission_required("compensation.view_payee", raise_exception=True)
def payee_detail(request, pk):
    """The one page where identity and bank numbers are shown in full; every view is logged.

    The finance role itself is required: a superuser's blanket permissions do not reach it.
    """
    if not request.user.has_role(Role.FINANCE):
        raise PermissionDenied
    payee = get_object_or_404(Payee.objects.select_related("resource"), pk=pk)
    log_action("compensation.payee.viewed", actor=request.user, obj=payee)
    response = render(request, "compensation/finance_payee.html", {"payee": payee})
    response["Cache-Control"] = "no-store"
    return response


@permission_required("compensation.reports", raise_exception=True)
def reports(request):
    years = selectors.report_years()
    try:
        year = int(request.GET.get("ar") or (years[0] if years else 0))
    except ValueError:
        year = 0
    rows = _money(selectors.cost_report(year=year or None), "total", "paid")
    per_unit: dict = {}
    for row in rows:
        key = (row["cost_centre"], row["unit__name"])
        per_unit[key] = per_unit.get(key, 0) + row["total"]
    return render(
        request,
        "compensation/reports.html",
        {
            "years": years,
            "year": year,
            "rows": rows,
            "per_unit": [{"cost_centre": k[0], "unit": k[1], "total_kr": format_kr(v)} for k, v in sorted(per_unit.items())],
            "year_total_kr": format_kr(sum(per_unit.values())),
            "statuses": BatchStatus,
        },
    )
