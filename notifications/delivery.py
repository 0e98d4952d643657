"""Sending what the outbox holds. Called by the tasks only."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from notifications.models import EmailState, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)


def _message(email: OutboundEmail) -> EmailMessage:
    msg = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.body_html:
        msg.attach_alternative(email.body_html, "text/html")
    for a in email.attachments:
        msg.attach(a["filename"], a["content"], a.get("mimetype", "application/octet-stream"))
    return msg


def deliver(email_id: int) -> bool:
    """Send one stored e-mail if nobody else has claimed it. True if this call sent it."""
    claimed = OutboundEmail.objects.filter(pk=email_id, state=EmailState.PENDING).update(
        state=EmailState.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
        email.state = EmailState.FAILED if email.attempts >= MAX_ATTEMPTS else EmailState.PENDING
        email.last_error = type(exc).__name__
        email.save(update_fields=["state", "last_error"])
        logger.warning("Sending e-mail %s failed (%s), attempt %s", email.pk, type(exc).__name__, email.attempts)
        return False
    email.state = EmailState.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["state", "sent_at", "last_error"])
    return True


def deliver_pending(limit: int = 500) -> int:
    """Send everything waiting; release claims of workers that died mid-send."""
    OutboundEmail.objects.filter(state=EmailState.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM).update(
        state=EmailState.PENDING
    )
    ids = list(OutboundEmail.objects.filter(state=EmailState.PENDING).order_by("created_at").values_list("pk", flat=True)[:limit])
    return sum(deliver(pk) for pk in ids)
