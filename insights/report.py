"""The yearly follow-up as a tagged PDF (PDF/UA), in the shape of Kalmar's: results since the
start and for the year, the surveys with charts, voices, and ideas for improvement."""

import base64

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from insights import selectors
from insights.disclosure import shown
from insights.models import ReportStatus, YearlyReport
from insights.selectors import Period, Scope


def _svg(chart) -> str:
    svg = render_to_string("insights/_chart.svg", {"chart": chart, "standalone": True})
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def context(yearly_report: YearlyReport) -> dict:
    year = yearly_report.year
    period = Period.year(year)
    since = Period.since_start(period.end)
    scope = Scope()
    all_time, this_year = selectors.load(since, scope), selectors.load(period, scope)
    in_bank = sum(v for (m, k), v in this_year.snapshot.items() if m == "bank.status" and k in ("active", "paused"))
    results = [
        (_("personer finns med i banken"), shown(in_bank)),
        (_("registrerade förfrågningar"), shown(all_time.total("req.total"))),
        (_("insatser av personer i banken"), shown(all_time.total("ins.total"))),
    ]
    sections = selectors.coordinator_sections(period, scope, this_year)
    surveys = [t for s in sections if s.slug == "utvarderingar" for t in s.tables]
    figures = [t for s in sections if s.slug in ("forfragningar", "insatser", "banken") for t in s.tables]
    for table in [*surveys, *figures]:
        chart = table.chart
        table.chart_uri = _svg(chart) if chart else ""
    return {
        "report": yearly_report,
        "region": settings.REGION_NAME,
        "results": results,
        # Fees are for finance and the coordinators' page, not part of Kalmar's follow-up.
        "year_sections": [s for s in sections if s.slug not in ("utvarderingar", "arvoden")],
        "surveys": surveys,
        "improvements": [line.strip() for line in yearly_report.improvements.splitlines() if line.strip()],
        "today": timezone.localdate(),
    }


def render_pdf(yearly_report: YearlyReport) -> bytes:
    html = render_to_string("insights/report_pdf.html", context(yearly_report))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def render(yearly_report: YearlyReport) -> YearlyReport:
    """Render once: a report already rendered (a second task run) is left as it is."""
    if yearly_report.status == ReportStatus.READY:
        return yearly_report
    try:
        pdf = render_pdf(yearly_report)
    except Exception as exc:
        YearlyReport.objects.filter(pk=yearly_report.pk).update(status=ReportStatus.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        locked = YearlyReport.objects.select_for_update().get(pk=yearly_report.pk)
        if locked.status == ReportStatus.READY:
            return locked
        locked.file.save(locked.filename, ContentFile(pdf), save=False)
        locked.status, locked.rendered_at, locked.error = ReportStatus.READY, timezone.now(), ""
        locked.save(update_fields=["file", "status", "rendered_at", "error"])
    return locked
