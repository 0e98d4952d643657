"""Fault drill: a worker dies in the middle of delivering mail and of each reminder sweep.

The kill is an exception that nothing catches (WorkerKilled), raised at the step named in each
test: after the row is claimed and before it is marked done. The restart is the next run of the
same sweep, also after the stale-claim timeout (the clock moved on). Each mail and reminder
then goes out exactly once, except in the one gap the README documents for SMTP: the server
accepted and the worker died before recording it; that mail goes out twice with the same
Message-ID.
"""

import contextlib
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from assignments import emails as assignment_emails
from assignments.models import Agreement
from assignments.tasks import sweep_reminders
from evaluations import emails as evaluation_emails
from evaluations.models import Evaluation
from evaluations.tasks import sweep_evaluations
from matching import emails as matching_emails
from matching import services as matching
from matching.models import Inquiry
from matching.tasks import sweep_inquiries
from notifications import delivery
from notifications.models import EmailState, OutboundEmail
from notifications.services import queue_email
from notifications.tasks import deliver_pending_emails, send_email
from requests_app.enums import RequestStatus
from tests.assignments.conftest import make_chosen
from tests.assignments.helpers import to_signing
from tests.drills.conftest import WorkerKilled, dies_at, later, sent_per_key
from tests.evaluations.factories import ensure_default_questions, evaluated
from tests.factories import active_resource, request_at

TEMPLATE = "notifications/email/test_message"  # tests/templates
MAILS = 10
KILLED_AT = 4  # the fourth mail of the sweep
AFTER_STALE_CLAIM = delivery.STALE_CLAIM + timedelta(minutes=1)


def states() -> Counter:
    return Counter(OutboundEmail.objects.values_list("state", flat=True))


def dying_mail_server(where: str):
    """A mail connection per mail, as delivery opens them; the KILLED_AT-th dies at `where`."""
    opened = {"n": 0}

    class Connection(LocmemBackend):
        def open(self):
            opened["n"] += 1
            if where == "after_claim" and opened["n"] == KILLED_AT:
                raise WorkerKilled  # claimed, nothing said to the server yet
            return super().open()

        def send_messages(self, messages):
            sent = super().send_messages(messages)
            if where == "after_accept" and opened["n"] == KILLED_AT:
                raise WorkerKilled  # the server said 250, our UPDATE never ran
            return sent

        def close(self):
            super().close()
            if where == "at_quit" and opened["n"] == KILLED_AT:
                raise WorkerKilled  # recorded as sent already; QUIT never finished

    return mock.patch("notifications.delivery.get_connection", side_effect=lambda *a, **kw: Connection())


# --- delivering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "left_sending"),
    [("after_claim", 1), ("after_accept", 1), ("at_quit", 0)],
)
def test_worker_killed_mid_delivery_each_mail_goes_out_once_after_restart(db, where, left_sending):
    rows = [queue_email(key=f"drill.mail:{n}", to=f"p{n}@exempel.se", template=TEMPLATE, context={}) for n in range(MAILS)]
    killed = rows[KILLED_AT - 1]

    with dying_mail_server(where), pytest.raises(WorkerKilled):
        deliver_pending_emails()

    assert states()[EmailState.SENDING] == left_sending
    # Restart. The broker hands the killed task back (acks_late, reject on worker lost): the row
    # is claimed, so it sends nothing. Then beat's sweep, twice: the claim is still fresh.
    send_email(email_id=killed.pk)
    assert deliver_pending_emails() == MAILS - KILLED_AT
    assert deliver_pending_emails() == 0
    # After the stale-claim timeout the sweep takes the killed one back, once.
    with later(AFTER_STALE_CLAIM):
        assert deliver_pending_emails() == left_sending
        assert deliver_pending_emails() == 0
    with later(AFTER_STALE_CLAIM * 3):
        assert deliver_pending_emails() == 0

    assert states() == {EmailState.SENT: MAILS}
    expected = Counter({row.key: 1 for row in rows})
    if where == "after_accept":
        expected[killed.key] += 1  # the documented SMTP gap: a second copy, same Message-ID
    assert sent_per_key() == expected


# --- reminder sweeps -------------------------------------------------------------------------


@contextlib.contextmanager
def killed_at(module, name: str, *, call: int):
    """The worker dies at the given call of `module.name`; the block must end there."""
    with mock.patch.object(module, name, dies_at(call, getattr(module, name))), pytest.raises(WorkerKilled):
        yield


def reminder_keys(prefix: str) -> list[str]:
    return sorted(OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def delivered_once(prefix: str, expected: int) -> None:
    """Beat's mail sweep, twice: every reminder reached the mail server exactly once."""
    deliver_pending_emails()
    assert deliver_pending_emails() == 0
    per_key = sent_per_key()
    reminders = {key: n for key, n in per_key.items() if key.startswith(prefix)}
    assert len(reminders) == expected
    assert set(per_key.values()) == {1}


def test_worker_killed_mid_inquiry_reminder_sweep(db, coordinator, unit, unit_staff):
    req = request_at(RequestStatus.READY, unit=unit, created_by=unit_staff)
    people = [active_resource(first_name=f"P{n}", email=f"p{n}@exempel.se") for n in range(5)]
    matching.send_inquiries(req, people, deadline=timezone.now() + timedelta(days=5), actor=coordinator)
    due = timedelta(days=5) - timedelta(hours=settings.INQUIRY_REMINDER_HOURS - 1)

    with later(due):
        with killed_at(matching_emails, "send_reminder", call=3):
            sweep_inquiries()
        # Two reminders done; the third was claimed, and the claim went with the killed transaction.
        assert Inquiry.objects.filter(reminded_at__isnull=False).count() == 2
        assert len(reminder_keys("matching.reminder:")) == 2
        assert sweep_inquiries() == {"expired": 0, "reminded": 3}
        assert sweep_inquiries() == {"expired": 0, "reminded": 0}
    with later(due + timedelta(hours=12)):
        assert sweep_inquiries() == {"expired": 0, "reminded": 0}

    assert len(reminder_keys("matching.reminder:")) == 5
    delivered_once("matching.reminder:", 5)


def test_worker_killed_mid_evaluation_reminder_sweep(db):
    ensure_default_questions()
    for _ in range(3):
        evaluated()  # one evaluation to the unit, one to the person
    due = timedelta(days=settings.EVALUATION_REMINDER_DAYS, hours=1)

    with later(due):
        with killed_at(evaluation_emails, "send_reminder", call=4):
            sweep_evaluations()
        assert Evaluation.objects.filter(reminded_at__isnull=False).count() == 3
        assert sweep_evaluations() == {"created": 0, "reminded": 3}
        assert sweep_evaluations() == {"created": 0, "reminded": 0}
    with later(due + timedelta(days=1)):
        assert sweep_evaluations() == {"created": 0, "reminded": 0}

    delivered_once("evaluations.reminder:", 6)


def test_worker_killed_mid_signing_reminder_sweep(db, coordinator, unit, unit_staff, settings):
    for _ in range(3):
        to_signing(make_chosen(coordinator, unit, unit_staff), unit_staff)
    due = timedelta(days=settings.AGREEMENT_REMINDER_DAYS, hours=1)

    with later(due):
        # Each agreement reminds two parties (the unit, the person); the fourth call is the
        # second agreement's person, after its unit reminder was queued: a half-done row.
        with killed_at(assignment_emails, "send_sign_reminder", call=4):
            sweep_reminders()
        assert Agreement.objects.filter(reminded_at__isnull=False).count() == 1
        reminded = Agreement.objects.get(reminded_at__isnull=False)
        assert {k.split(":")[1] for k in reminder_keys("assignments.sign_reminder:")} == {str(reminded.pk)}
        assert sweep_reminders()["unsigned"] == 2
        assert sweep_reminders()["unsigned"] == 0
    with later(due + timedelta(days=1)):
        assert sweep_reminders()["unsigned"] == 0

    keys = reminder_keys("assignments.sign_reminder:")
    assert len(keys) == 6  # three agreements, two parties each
    assert {k.split(":")[1] for k in keys} == set(map(str, Agreement.objects.values_list("pk", flat=True)))
    delivered_once("assignments.sign_reminder:", 6)
