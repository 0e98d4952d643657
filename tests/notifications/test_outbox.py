from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery
from notifications.models import EmailState, OutboundEmail
from notifications.services import queue_email
from notifications.tasks import deliver_pending_emails, send_email

TEMPLATE = "notifications/email/test_message"


def queue(key="k1", to="anna@exempel.se"):
    return queue_email(key=key, to=to, template=TEMPLATE, context={"name": "Anna"})


def test_queued_mail_is_stored_and_sent_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
        assert mail.outbox == []  # nothing leaves before the transaction commits

    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert email.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hej Anna"
    assert "Det här är ett prov." in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_same_key_is_one_mail(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(key="reminder:1")
        second = queue(key="reminder:1")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_task_run_twice_sends_once(db):
    email = queue()
    send_email(email_id=email.pk)
    send_email(email_id=email.pk)
    assert len(mail.outbox) == 1


def test_broker_down_keeps_mail_for_the_sweep(db, django_capture_on_commit_callbacks):
    down = mock.patch.object(send_email, "delay", side_effect=ConnectionRefusedError("redis down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert email.state == EmailState.PENDING
    assert mail.outbox == []

    assert deliver_pending_emails() == 1

    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert len(mail.outbox) == 1
    assert deliver_pending_emails() == 0


def test_failed_send_is_retried_then_marked_failed(db):
    email = queue()
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("smtp down")):
        for _ in range(delivery.MAX_ATTEMPTS):
            delivery.deliver(email.pk)
    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    assert email.attempts == delivery.MAX_ATTEMPTS
    assert email.last_error == "OSError"


def test_sweep_releases_claims_of_dead_workers(db):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=EmailState.SENDING, claimed_at=timezone.now() - delivery.STALE_CLAIM * 2
    )
    assert deliver_pending_emails() == 1
    assert len(mail.outbox) == 1


def test_task_arguments_are_ids_only(db, django_capture_on_commit_callbacks):
    with mock.patch.object(send_email, "delay") as delay, django_capture_on_commit_callbacks(execute=True):
        email = queue()
    delay.assert_called_once_with(email_id=email.pk)


@pytest.mark.parametrize("beat_task", ["notifications.tasks.deliver_pending_emails"])
def test_sweep_is_on_the_beat_schedule(settings, beat_task):
    assert beat_task in [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
