"""Fault drill: the broker is down while 100 submissions come in through the real pages.

Every submission is kept, no page waits for the broker more than once (publishing does not
retry, and after one failure the process leaves mail to the sweep), and when the broker is
back the sweep sends every stored mail exactly once, however often it runs.
"""

import uuid
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from config.celery import app as celery_app
from matching import services as matching
from matching.enums import InquiryStatus
from matching.models import Inquiry
from notifications.models import EmailState, OutboundEmail
from notifications.tasks import deliver_pending_emails
from registry.enums import ResourceStatus
from registry.models import ExperienceResource
from requests_app.enums import JoinStatus, RequestStatus
from requests_app.models import UnitJoinRequest, UnitRequest
from tests.conftest import sign_in
from tests.drills.conftest import DRILL_REDIS_URL, fresh_broker_connections, needs_redis, sent_per_key
from tests.factories import UserFactory, active_resource, request_at
from tests.registry.test_application import application
from tests.requests_app.test_form import form_data

REQUESTS, APPLICATIONS, JOINS, ANSWERS = 30, 30, 10, 30


def waiting_inquiries(coordinator, unit, unit_staff) -> list[Inquiry]:
    """ANSWERS people asked about three requests, before the drill."""
    asked = []
    for r in range(3):
        req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff, title=f"Föreläsning {r}")
        people = [active_resource(first_name=f"Svar{r}x{n}", email=f"svar{r}x{n}@exempel.se") for n in range(ANSWERS // 3)]
        asked += matching.send_inquiries(req, people, deadline=timezone.now() + timedelta(days=5), actor=coordinator)
    return asked


def test_broker_down_every_submission_is_kept_and_each_mail_goes_out_once_when_it_is_back(
    client, coordinator, unit, unit_staff, broker, settings, django_capture_on_commit_callbacks
):
    settings.BROKER_RETRY_SECONDS = 3600  # one outage that lasts the whole drill
    inquiries = waiting_inquiries(coordinator, unit, unit_staff)
    newcomers = [UserFactory(email=f"ny{n}@regionexempel.se", roles=[Role.UNIT_STAFF]) for n in range(JOINS)]
    staff = sign_in(Client(), unit_staff)
    before = OutboundEmail.objects.count()

    broker.stop()
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(REQUESTS):
            data = form_data(unit, title=f"Utbildning {n}", token=str(uuid.uuid4()))
            statuses.append(staff.post("/verksamhet/forfragningar/ny/", data).status_code)
        for n in range(APPLICATIONS):
            data = application(email=f"anmalan{n}@exempel.se", first_name=f"Anna{n}", token=str(uuid.uuid4()))
            statuses.append(Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post("/bli-erfarenhetsresurs/", data).status_code)
        for user in newcomers:
            statuses.append(sign_in(Client(), user).post("/verksamhet/anslut/", {"unit": unit.pk}).status_code)
        for n, inquiry in enumerate(inquiries):
            link = f"/svara/{matching.answer_token(inquiry)}/"
            statuses.append(client.post(link, {"answer": "yes" if n % 2 else "no", "share_email": "on"}).status_code)

    # Every page answered as usual: the form pages redirect, the answer page shows its thanks.
    assert statuses == [302] * (REQUESTS + APPLICATIONS + JOINS) + [200] * ANSWERS
    # ... and only the first mail tried the broker: one publish, one refused TCP connection.
    assert broker.publishes.call_count == 1
    assert len(broker.connects) == 1

    # Every submission is stored.
    submitted = UnitRequest.objects.filter(status=RequestStatus.SUBMITTED, title__startswith="Utbildning")
    assert submitted.count() == REQUESTS
    assert len(set(submitted.values_list("reference", flat=True))) == REQUESTS
    assert ExperienceResource.objects.filter(status=ResourceStatus.APPLIED, email__startswith="anmalan").count() == APPLICATIONS
    assert UnitJoinRequest.objects.filter(status=JoinStatus.PENDING, unit=unit).count() == JOINS
    answered = Inquiry.objects.filter(pk__in=[i.pk for i in inquiries]).values_list("status", flat=True)
    assert sorted(answered) == sorted([InquiryStatus.NO, InquiryStatus.YES] * (ANSWERS // 2))

    # Their mails wait in the outbox; nothing has gone out.
    drill_mails = OutboundEmail.objects.count() - before
    assert drill_mails >= REQUESTS * 3 + APPLICATIONS + JOINS  # unit contact, unit staff, coordinators; thanks; join asked
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {EmailState.PENDING}
    assert mail.outbox == []

    broker.restore()
    total = OutboundEmail.objects.count()
    assert deliver_pending_emails() == total
    assert deliver_pending_emails() == 0  # the next minute's sweep finds nothing left

    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {EmailState.SENT}
    per_key = sent_per_key()
    assert len(per_key) == total
    assert set(per_key.values()) == {1}


def test_without_the_pause_each_mail_costs_one_refused_connection_never_a_retry_loop(
    client, unit, unit_staff, broker, settings, django_capture_on_commit_callbacks
):
    """The worst case: no pause after a failure (BROKER_RETRY_SECONDS=0), so every mail tries the
    broker. Each try is still a single refused connection (no publish retries, no back-off), and
    a page queued after the broker is back goes out at once; the sweep sends the rest once."""
    settings.BROKER_RETRY_SECONDS = 0
    staff = sign_in(Client(), unit_staff)
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            staff.post("/verksamhet/forfragningar/ny/", form_data(unit, title=f"Utbildning {n}", token=str(uuid.uuid4())))

    # Three pages, three mails each: nine publishes, nine refused connections, no retries.
    assert broker.publishes.call_count == 9
    assert len(broker.connects) == 9
    assert UnitRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 3

    broker.restore()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/verksamhet/forfragningar/ny/", form_data(unit, title="Efteråt", token=str(uuid.uuid4())))
    # Back: the new page's mails are handed to the worker (eager here) at once.
    assert OutboundEmail.objects.filter(state=EmailState.SENT).count() == 3
    assert deliver_pending_emails() == 9
    assert deliver_pending_emails() == 0
    assert set(sent_per_key().values()) == {1}
    assert len(mail.outbox) == 12


# --- the broker comes back for real (Redis) --------------------------------------------------


@needs_redis
def test_when_redis_is_back_a_queued_task_and_the_sweep_together_send_each_mail_once(
    unit, unit_staff, broker, settings, django_capture_on_commit_callbacks
):
    """After the outage new mails are published to the real broker, and beat's sweep may reach
    them before the worker does: the worker's task then finds the mail sent and sends nothing."""
    settings.BROKER_RETRY_SECONDS = 3600
    staff = sign_in(Client(), unit_staff)
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            staff.post("/verksamhet/forfragningar/ny/", form_data(unit, title=f"Under avbrottet {n}", token=str(uuid.uuid4())))
    during = OutboundEmail.objects.count()
    assert broker.publishes.call_count == 1

    queue = f"drill-{uuid.uuid4().hex}"
    broker.restore()
    celery_app.conf.update(broker_url=DRILL_REDIS_URL, task_always_eager=False, task_default_queue=queue)
    fresh_broker_connections()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(5):
                staff.post("/verksamhet/forfragningar/ny/", form_data(unit, title=f"Efteråt {n}", token=str(uuid.uuid4())))
        after = OutboundEmail.objects.count() - during
        assert broker.publishes.call_count == 1 + after  # every new mail published, none refused

        assert deliver_pending_emails() == during + after  # beat's sweep gets there first
        assert deliver_pending_emails() == 0
        tasks = 0
        with celery_app.connection_for_read() as conn:
            inbox = conn.SimpleQueue(queue)
            try:
                while True:  # the worker, back too, runs what the broker kept
                    message = inbox.get(timeout=1)
                    args, kwargs, _embed = message.decode()
                    celery_app.tasks[message.headers["task"]](*args, **kwargs)
                    message.ack()
                    tasks += 1
            except inbox.Empty:
                pass
            inbox.queue.delete()
            inbox.close()
        assert tasks == after
    finally:
        for key in ("broker_url", "task_always_eager", "task_default_queue"):
            celery_app.conf.changes.pop(key, None)
        fresh_broker_connections()

    assert len(mail.outbox) == during + after
    assert set(sent_per_key().values()) == {1}
