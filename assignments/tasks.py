"""Thin tasks: ids in, a service call out. The sweeps are safe to run twice or on two workers at once."""

import logging

from celery import shared_task

from assignments import reminders
from assignments.documents import services as documents
from assignments.models import Agreement

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def render_agreement_document(*, agreement_id: int) -> None:
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is not None:
        documents.create_document(agreement)


@shared_task(ignore_result=True)
def render_missing_documents() -> int:
    """Beat sweep: every fully signed version without its PDF (the worker was down, the broker
    refused the task, or rendering failed) is rendered now. One failure does not stop the rest."""
    done = 0
    for agreement in documents.missing_documents().order_by("signed_at"):
        try:
            if documents.create_document(agreement) is not None:
                done += 1
        except Exception:
            logger.exception("Could not render the PDF of agreement %s", agreement.pk)
    return done


@shared_task(acks_late=True, ignore_result=True)
def sweep_reminders() -> dict:
    return reminders.sweep()
