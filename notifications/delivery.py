"""Sending what the outbox holds. Called by the tasks only.

What can still go wrong, and what we do about it: the row is marked sent in the same
step as the mail server accepts the message, before the connection is closed (QUIT can
stall). Only if the worker dies in the moment between the server's "250 accepted" and that
UPDATE does the row stay "sending"; the sweep sends it again after STALE_CLAIM, with the
same Message-ID (`message_id`), so the receiving side can recognise the second copy.
SMTP offers nothing to close that last gap: the server may accept and the answer be lost.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from notifications import links
from notifications.models import EmailState, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)

# What a sent row keeps: who, which mail, its key, its state and times. The text, which
# may hold personal and health data, is gone once the mail server has it.
CLEARED = {"subject": "", "body_text": "", "body_html": "", "attachments": []}


def message_id(email: OutboundEmail) -> str:
    """The same for every attempt at one row, so a resent copy is recognisable as the same mail."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "levandebibliotek.invalid"
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:16]
    return f"<lb.{email.pk}.{digest}@{domain}>"


def _message(email: OutboundEmail) -> EmailMessage:
    # Secret links are made now, never stored (notifications.links).
    msg = EmailMultiAlternatives(
        email.subject,
        links.fill(email.body_text),
        settings.DEFAULT_FROM_EMAIL,
        [email.to],
        headers={"Message-ID": message_id(email)},
    )
    if email.body_html:
        msg.attach_alternative(links.fill(email.body_html), "text/html")
    for a in email.attachments:
        msg.attach(a["filename"], a["content"], a.get("mimetype", "application/octet-stream"))
    return msg


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # the mail is sent and recorded; a failed QUIT changes nothing
        logger.info("Closing the mail connection failed after sending", exc_info=True)


def deliver(email_id: int) -> bool:
    """Send one stored e-mail if nobody else has claimed it. True if this call sent it."""
    claimed = OutboundEmail.objects.filter(pk=email_id, state=EmailState.PENDING).update(
        state=EmailState.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        message = _message(email)
    except links.LinkGone:
        # What the link was for is gone (the person left and was erased): nothing to send.
        OutboundEmail.objects.filter(pk=email.pk).update(state=EmailState.FAILED, last_error="LinkGone", **CLEARED)
        return False
    connection = get_connection()  # EMAIL_TIMEOUT bounds every step with the server
    try:
        connection.open()
        connection.send_messages([message])
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
        _close_quietly(connection)
        email.state = EmailState.FAILED if email.attempts >= MAX_ATTEMPTS else EmailState.PENDING
        email.last_error = type(exc).__name__
        email.save(update_fields=["state", "last_error"])
        logger.warning("Sending e-mail %s failed (%s), attempt %s", email.pk, type(exc).__name__, email.attempts)
        return False
    # The server has accepted the message: record that before anything else can fail or stall.
    OutboundEmail.objects.filter(pk=email.pk).update(state=EmailState.SENT, sent_at=timezone.now(), last_error="", **CLEARED)
    _close_quietly(connection)
    return True


def deliver_pending(limit: int = 500) -> int:
    """Send everything waiting; release claims of workers that died mid-send."""
    OutboundEmail.objects.filter(state=EmailState.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM).update(
        state=EmailState.PENDING
    )
    ids = list(OutboundEmail.objects.filter(state=EmailState.PENDING).order_by("created_at").values_list("pk", flat=True)[:limit])
    return sum(deliver(pk) for pk in ids)
