"""Thin tasks: ids in, fetch, call the work in figures/report."""

import logging
from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from insights import figures, pages, report
from insights.models import ReportStatus, YearlyReport

logger = logging.getLogger(__name__)

# A report still pending this long after it was asked for was lost (broker down, worker died).
SWEEP_AFTER = timedelta(minutes=5)


# At national scale a refresh takes minutes; a beat tick that comes while one runs is skipped
# instead of queueing a second full count behind it.
REFRESH_LOCK = "insights:refresh-running"


@shared_task(acks_late=True, ignore_result=True)
def refresh_figures() -> int:
    if not cache.add(REFRESH_LOCK, True, timeout=3600):
        logger.info("A refresh of the figures is already running; this one is skipped")
        return 0
    try:
        state = figures.refresh()
        try:
            pages.warm(state.finished_at)
        except Exception:  # the figures are counted; a page that fails to draw is drawn on its first view
            logger.exception("Drawing the statistics pages into the cache failed")
        return state.rows
    finally:
        cache.delete(REFRESH_LOCK)


@shared_task(acks_late=True, ignore_result=True)
def render_report(*, report_id: int) -> None:
    report.render(YearlyReport.objects.get(pk=report_id))


@shared_task(acks_late=True, ignore_result=True)
def sweep_reports() -> int:
    """Render the reports whose task never ran."""
    stale = YearlyReport.objects.filter(status=ReportStatus.PENDING, created_at__lt=timezone.now() - SWEEP_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        render_report(report_id=pk)
    return len(ids)


def _enqueue(report_id: int) -> None:
    try:
        render_report.delay(report_id=report_id)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep renders it later
        logger.warning("Broker unavailable; yearly report %s waits for the sweep", report_id)


def queue_report(yearly_report: YearlyReport) -> None:
    transaction.on_commit(lambda: _enqueue(yearly_report.pk))
