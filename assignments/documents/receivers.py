"""When the last party has signed, the PDF is rendered after the transaction commits, in a task."""

import logging

from django.db import transaction
from django.dispatch import receiver

from assignments.models import Agreement
from assignments.signals import agreement_signed
from assignments.tasks import render_agreement_document

logger = logging.getLogger(__name__)


def _enqueue(agreement_id: int) -> None:
    try:
        render_agreement_document.delay(agreement_id=agreement_id)
    except Exception:  # noqa: BLE001 - any broker failure: the beat sweep renders it later
        logger.warning("Broker unavailable; the PDF of agreement %s waits for the next sweep", agreement_id)


@receiver(agreement_signed, sender=Agreement, dispatch_uid="assignments.documents.render_on_signed")
def render_when_signed(sender, agreement, **kwargs):
    transaction.on_commit(lambda: _enqueue(agreement.pk))
