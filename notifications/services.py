"""The outbox. Each e-mail function in an app calls `queue_email()`; nothing sends directly.

queue_email() stores the rendered message in the same transaction as the change that
caused it and, once that commits, asks Celery to send it. If the broker is down the row
simply waits: `deliver_pending_emails` (beat, every minute) sends whatever is pending.

A broker that is down must not slow the page down: publishing does not retry (settings), and
after one failure this process stops asking the broker for BROKER_RETRY_SECONDS, leaving the
mails of this request (and of the next ones) to the sweep.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.models import EmailState, OutboundEmail
from notifications.tasks import send_email

logger = logging.getLogger(__name__)

# Inside `handed_to_sweep()` stored mails are not handed to the broker after commit; the
# sweep (`deliver_pending_emails`) finds them. For `seed_demo`, which runs before the
# worker and its broker folders exist.
_hand_to_broker = contextvars.ContextVar("hand_to_broker", default=True)


@contextlib.contextmanager
def handed_to_sweep():
    token = _hand_to_broker.set(False)
    try:
        yield
    finally:
        _hand_to_broker.reset(token)


def mail_context() -> dict:
    """What every mail may name: the region, the site, and how to reach the coordinators."""
    return {
        "site_url": settings.SITE_URL,
        "region_name": settings.REGION_NAME,
        "coordinators_email": settings.COORDINATORS_EMAIL,
        "coordinators_phone": settings.COORDINATORS_PHONE,
    }


def tidy_text(text: str) -> str:
    """A mail's text without the gaps template tags leave: no trailing spaces, never two
    blank lines in a row (an `{% if %}` that was false must not show as a hole)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML from `<template>_subject.txt`, `.txt` and `.html`."""
    ctx = {**mail_context(), **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        text = tidy_text(render_to_string(f"{template}.txt", ctx))
        try:
            html = render_to_string(f"{template}.html", ctx).strip()
        except TemplateDoesNotExist:
            # Most mails are plain words; their HTML part is the same text, escaped.
            html = render_to_string("notifications/email/plain.html", {"text": text})
    return subject, text, html


def queue_email(*, key: str, to: str, template: str, context: dict, attachments=()) -> OutboundEmail:
    """Store one e-mail for sending. The same `key` twice stores and sends it once."""
    subject, text, html = render_email(template, context)
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "template": template,
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "attachments": [dict(a) for a in attachments],
        },
    )
    if created and _hand_to_broker.get():
        transaction.on_commit(lambda: enqueue(email.pk))
    return email


class _Broker:
    """Remembers, per process, that the broker just failed, so a page that queues ten mails
    waits for one failed publish instead of ten."""

    down_until = 0.0

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self) -> None:
        self.down_until = time.monotonic() + settings.BROKER_RETRY_SECONDS

    def reset(self) -> None:
        self.down_until = 0.0


broker = _Broker()


def enqueue(email_id: int) -> None:
    if not broker.usable():
        return  # the broker failed a moment ago: the sweep sends this one
    try:
        send_email.delay(email_id=email_id)
    except Exception:  # noqa: BLE001 - any broker failure: the sweep delivers it later
        broker.failed()
        logger.warning("Broker unavailable; e-mail %s stays in the outbox for the next sweep", email_id)


def send_auth_email(msg: EmailMessage, *, template: str) -> OutboundEmail:
    """Sign-in mails (codes) go out at once, in the request, and their body is never stored.

    A code is useless a few minutes later, so queueing buys nothing; storing it would put
    a live credential in a table staff can read.
    """
    record = OutboundEmail(
        key=f"auth:{uuid.uuid4()}", to=msg.to[0], template=template, subject=msg.subject, attempts=1, claimed_at=timezone.now()
    )
    try:
        msg.send()
    except Exception as exc:
        record.state = EmailState.FAILED
        record.last_error = type(exc).__name__
        record.save()
        raise
    record.state = EmailState.SENT
    record.sent_at = timezone.now()
    record.save()
    return record
