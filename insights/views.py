"""The statistics pages (coordinators; totals only for finance), their CSVs, and the yearly reports."""

import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.audit import log_action
from insights import pages, selectors
from insights.figures import Window
from insights.forms import PeriodForm, ReportForm
from insights.models import ReportStatus, YearlyReport
from insights.quotes import allowed_quotes
from insights.selectors import Period, Scope
from insights.tasks import queue_report


def _period_and_scope(request):
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["scope"]
    return form, Period.year(timezone.localdate().year), Scope()


def _page(request, page):
    form, period, scope = _period_and_scope(request)
    refreshed_at = selectors.last_refresh()
    return render(
        request,
        f"insights/{page}.html",
        {
            "form": form,
            "period": period,
            "scope": scope,
            "refreshed_at": refreshed_at,
            # Drawn once per period, scope and refresh, then served from the cache (insights.cache).
            "body": mark_safe(pages.body(page, period, scope, refreshed_at)),
        },
        status=200 if not form.errors else 400,
    )


@permission_required("insights.view_statistics", raise_exception=True)
def statistics(request):
    return _page(request, "statistics")


@permission_required("insights.view_finance_statistics", raise_exception=True)
def finance_statistics(request):
    return _page(request, "finance_statistics")


def _csv(request, build, slug):
    _form, period, scope = _period_and_scope(request)
    for section in build(period, scope, selectors.load(period, scope)):
        for table in section.tables:
            if table.slug == slug:
                response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{slug}-{period.label}.csv"'
                return response
    raise Http404


@permission_required("insights.view_statistics", raise_exception=True)
def statistics_csv(request, slug):
    return _csv(request, selectors.coordinator_sections, slug)


@permission_required("insights.view_finance_statistics", raise_exception=True)
def finance_csv(request, slug):
    return _csv(request, selectors.finance_sections, slug)


# --- yearly reports -------------------------------------------------------------------------


def _report_form(request, data=None):
    raw = str((data or request.GET).get("year") or "")
    # ASCII digits of a year a date can hold ("²" is a digit to isdigit(); year 0 and 10000 are not dates);
    # the form refuses any year it does not offer
    ok = raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) >= 1
    year = int(raw) if ok and int(raw) <= 9998 else timezone.localdate().year - 1
    period = Period.year(year)
    quotes = allowed_quotes(Window(start=period.start, end=period.end))
    initial = {"year": year, "submission_token": uuid.uuid4()}
    return ReportForm(data, quotes=quotes, initial=initial), year


@permission_required("insights.manage_reports", raise_exception=True)
def report_list(request, form=None, status=200):
    if form is None:
        form, _year = _report_form(request)
    reports = YearlyReport.objects.select_related("created_by")
    return render(request, "insights/report_list.html", {"form": form, "reports": reports}, status=status)


@require_POST
@permission_required("insights.manage_reports", raise_exception=True)
def report_create(request):
    form, _year = _report_form(request, request.POST)
    if not form.is_valid():
        return report_list(request, form=form, status=400)
    token = form.cleaned_data["submission_token"]
    if YearlyReport.objects.filter(submission_token=token).exists():
        return redirect("insights:reports")  # a double click: the first one is already on its way
    try:
        with transaction.atomic():
            year = form.cleaned_data["year"]
            # Lock the year's versions so two coordinators at once get v2 and v3, not a clash.
            latest = YearlyReport.objects.select_for_update().filter(year=year).aggregate(v=Max("version"))["v"] or 0
            report = form.save(commit=False)
            report.version = latest + 1
            report.quotes = form.cleaned_data["chosen_quotes"]
            report.submission_token = token
            report.created_by = request.user
            report.save()
            log_action(
                "insights.report.requested", actor=request.user, obj=report, data={"year": year, "version": report.version}
            )
            queue_report(report)
    except IntegrityError:
        return redirect("insights:reports")
    messages.success(request, _("Rapporten skapas. Den finns i listan om en liten stund."))
    return redirect("insights:reports")


@permission_required("insights.manage_reports", raise_exception=True)
def report_download(request, pk):
    report = get_object_or_404(YearlyReport, pk=pk, status=ReportStatus.READY)
    log_action("insights.report.downloaded", actor=request.user, obj=report)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename, content_type="application/pdf")
