"""When the broker, the worker or the mail server fails, and what the outbox keeps."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from config.celery import app as celery_app
from matching import services as matching
from notifications import delivery, links
from notifications.models import EmailState, OutboundEmail
from notifications.services import queue_email
from notifications.tasks import deliver_pending_emails, send_email
from registry import checks, events
from registry.models import EventInvitation, YearlyCheck
from requests_app.enums import RequestStatus
from tests.factories import EventFactory, ExperienceResourceFactory, active_resource, request_at

TEMPLATE = "notifications/email/test_message"


def queue(key="k1", to="anna@exempel.se"):
    return queue_email(key=key, to=to, template=TEMPLATE, context={"name": "Anna"})


# --- the broker is down ---------------------------------------------------------------------


@pytest.fixture
def broker_stopped():
    """A real publish to a broker that is not there: a port nobody listens on."""
    conf = celery_app.conf
    conf.update(
        broker_url="redis://127.0.0.1:9/0",
        task_always_eager=False,
        broker_transport_options={"max_retries": 0, "socket_connect_timeout": 1},
    )
    celery_app._pool = None  # a fresh connection pool, to the stopped broker
    publish = mock.patch.object(send_email, "apply_async", autospec=True, side_effect=send_email.apply_async)
    with publish as attempts:
        yield attempts
    for key in ("broker_url", "task_always_eager", "broker_transport_options"):
        conf.changes.pop(key, None)  # back to what the Django settings say
    celery_app._pool = None


def test_broker_down_costs_one_publish_attempt_however_many_mails(db, broker_stopped, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            queue(key=f"k{n}")

    assert broker_stopped.call_count == 1  # the nine others went straight to the sweep
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {EmailState.PENDING}
    assert mail.outbox == []


def test_broker_down_page_that_sends_inquiries_tries_the_broker_once(
    client, login, coordinator, unit, unit_staff, broker_stopped, django_capture_on_commit_callbacks
):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    people = [active_resource(first_name=f"Person{n}", email=f"p{n}@exempel.se") for n in range(6)]
    login(client, coordinator)
    deadline = timezone.localtime(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/samordning/forfragningar/{req.pk}/matchning/", {"people": [p.pk for p in people], "deadline": deadline}
        )

    assert response.status_code == 302
    assert OutboundEmail.objects.filter(template="matching/email/inquiry").count() == 6
    assert broker_stopped.call_count == 1


def test_nothing_is_lost_the_sweep_delivers_every_mail_once(db, broker_stopped, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            queue(key=f"k{n}", to=f"p{n}@exempel.se")

    assert deliver_pending_emails() == 3
    assert deliver_pending_emails() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@exempel.se", "p1@exempel.se", "p2@exempel.se"]


def test_publishing_is_tried_again_after_the_pause(db, settings):
    settings.BROKER_RETRY_SECONDS = 0
    with mock.patch.object(send_email, "delay", side_effect=ConnectionRefusedError) as delay:
        from notifications.services import enqueue

        enqueue(1)
        enqueue(2)
    assert delay.call_count == 2


# --- the worker dies, the mail server stalls -------------------------------------------------------


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after this line runs."""


def test_sent_is_recorded_as_soon_as_the_server_accepts_before_quit(db):
    email = queue()
    seen = {}

    class Backend(LocmemBackend):
        def close(self):
            # QUIT: a stalling server or a killed worker here must not leave the row "sending".
            seen["state"] = OutboundEmail.objects.get(pk=email.pk).state
            raise WorkerKilled

    with mock.patch("notifications.delivery.get_connection", return_value=Backend()), pytest.raises(WorkerKilled):
        delivery.deliver(email.pk)

    assert seen["state"] == EmailState.SENT
    assert len(mail.outbox) == 1


def test_a_resend_after_a_dead_worker_carries_the_same_message_id(db):
    email = queue()

    class DiesAfterAccept(LocmemBackend):
        def send_messages(self, messages):
            super().send_messages(messages)
            raise WorkerKilled  # between the server's "accepted" and our UPDATE

    with mock.patch("notifications.delivery.get_connection", return_value=DiesAfterAccept()), pytest.raises(WorkerKilled):
        delivery.deliver(email.pk)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - delivery.STALE_CLAIM * 2)

    assert deliver_pending_emails() == 1

    first, second = mail.outbox
    assert first.message()["Message-ID"] == second.message()["Message-ID"] == delivery.message_id(email)
    email.refresh_from_db()
    assert email.state == EmailState.SENT


def test_message_ids_differ_between_mails(db):
    assert delivery.message_id(queue(key="a")) != delivery.message_id(queue(key="b"))


def test_the_mail_server_has_a_timeout(settings):
    assert settings.EMAIL_TIMEOUT == 10
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10


# --- what a stored mail holds ----------------------------------------------------------------


def test_sent_mail_keeps_only_who_which_key_state_and_times(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    email.refresh_from_db()
    assert (email.to, email.template, email.key, email.state) == ("anna@exempel.se", TEMPLATE, "k1", EmailState.SENT)
    assert email.sent_at is not None and email.created_at is not None
    assert (email.subject, email.body_text, email.body_html, email.attachments) == ("", "", "", [])
    assert "Det här är ett prov." in mail.outbox[0].body


def _stored_and_sent_token(email, path):
    stored = email.body_text.split(path)[1].split("/")[0]
    stored_html = email.body_html
    delivery.deliver(email.pk)
    sent = mail.outbox[-1].body.split(path)[1].split("/")[0]
    return stored, stored_html, sent


def test_an_inquiry_mail_stores_no_usable_answer_link(db, coordinator, unit, unit_staff):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    inquiry = matching.send_inquiries(req, [active_resource()], deadline=timezone.now() + timedelta(days=5), actor=coordinator)[0]
    email = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}")

    stored, stored_html, sent = _stored_and_sent_token(email, "/svara/")

    assert matching.inquiry_from_token(stored) == (None, "invalid")
    assert matching.answer_token(inquiry).split(":")[0] not in stored_html
    assert matching.inquiry_from_token(sent) == (inquiry, "")


def test_an_event_mail_stores_no_usable_answer_link(db, coordinator):
    event = EventFactory(created_by=coordinator)
    events.invite(event, [ExperienceResourceFactory()], actor=coordinator)
    invitation = EventInvitation.objects.get()
    email = OutboundEmail.objects.get(key=f"registry.event_invitation:{invitation.pk}")

    stored, _html, sent = _stored_and_sent_token(email, "/traff/")

    assert events.invitation_from_token(stored) is None
    assert events.invitation_from_token(sent) == invitation


def test_a_yearly_mail_stores_no_usable_answer_link(db):
    from registry.models import ExperienceResource

    resource = ExperienceResourceFactory()
    ExperienceResource.objects.filter(pk=resource.pk).update(created_at=timezone.now() - timedelta(days=400))
    checks.send_yearly_checks()
    email = OutboundEmail.objects.get(template="registry/email/yearly_check")

    stored, _html, sent = _stored_and_sent_token(email, "/fortfarande-med/")

    assert checks.check_from_token(stored) is None
    assert checks.check_from_token(sent) == YearlyCheck.objects.get()


def test_a_link_to_something_gone_is_not_sent(db, coordinator):
    event = EventFactory(created_by=coordinator)
    events.invite(event, [ExperienceResourceFactory()], actor=coordinator)
    email = OutboundEmail.objects.get(template="registry/email/event_invitation")
    EventInvitation.objects.all().delete()  # e.g. the person left and was erased before the sweep

    assert delivery.deliver(email.pk) is False

    email.refresh_from_db()
    assert (email.state, email.last_error, email.body_text) == (EmailState.FAILED, "LinkGone", "")
    assert mail.outbox == []


def test_placeholders_need_a_registered_kind():
    with pytest.raises(KeyError):
        links.placeholder("nobody_registered_this", 1)


def test_the_admin_shows_who_and_which_mail_never_its_text(client, login, administrator, coordinator, unit, unit_staff):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff, title="Workshop om smärta")
    inquiry = matching.send_inquiries(req, [active_resource()], deadline=timezone.now() + timedelta(days=5), actor=coordinator)[0]
    email = OutboundEmail.objects.get(key=f"matching.inquiry:{inquiry.pk}")
    login(client, administrator)

    pages = [
        client.get("/admin/notifications/outboundemail/").content.decode(),
        client.get(f"/admin/notifications/outboundemail/{email.pk}/change/").content.decode(),
    ]

    assert email.to in pages[1]
    for page in pages:
        assert "Workshop om smärta" not in page
        assert "lbsecret-" not in page
