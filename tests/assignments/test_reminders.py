"""The reminder sweeps: each mail once, however often the sweep runs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from assignments import reminders
from assignments.models import Agreement, Assignment, Session
from assignments.services import update_session
from assignments.tasks import sweep_reminders
from notifications.models import OutboundEmail
from tests.assignments.helpers import report_all_held, sign_as, to_signed, to_signing


def keys(prefix: str) -> list[str]:
    return sorted(OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_unsigned_agreement_reminds_whoever_has_not_signed_once(chosen, unit_staff, resource_user, settings):
    settings.AGREEMENT_REMINDER_DAYS = 3
    to_signing(chosen, unit_staff)
    sign_as(chosen, unit_staff)
    assert reminders.remind_unsigned() == 0  # not yet due
    Agreement.objects.update(sent_at=timezone.now() - timedelta(days=4))
    assert reminders.remind_unsigned() == 1
    assert reminders.remind_unsigned() == 0
    sweep_reminders.delay()
    assert keys("assignments.sign_reminder:") == [f"assignments.sign_reminder:{Agreement.objects.get().pk}:{resource_user.email}"]


def test_unsigned_overdue_is_on_the_coordinators_start_page(chosen, unit_staff, coordinator, client, login, settings):
    settings.AGREEMENT_REMINDER_DAYS = 3
    to_signing(chosen, unit_staff)
    Agreement.objects.update(sent_at=timezone.now() - timedelta(days=4))
    login(client, coordinator)
    text = client.get("/samordning/").content.decode()
    assert "Inte underskrivna efter 3 dagar" in text
    assert chosen.reference in text


def test_first_session_reminder_with_calendar_once(chosen, unit_staff, resource_user, coordinator, settings):
    settings.ASSIGNMENT_REMINDER_DAYS_BEFORE = 2
    to_signed(chosen, unit_staff, resource_user, coordinator)
    session = chosen.sessions.get()
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() + timedelta(days=5))
    assert reminders.remind_first_session() == 0
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() + timedelta(days=2))
    Assignment.objects.filter(pk=chosen.pk).update(preparation="Läs igenom kursplanen, en halvtimme.")
    assert reminders.remind_first_session() == 1
    assert reminders.remind_first_session() == 0
    (mail,) = OutboundEmail.objects.filter(key__startswith="assignments.session_reminder:")
    assert mail.to == resource_user.email
    assert chosen.contact_name in mail.body_text
    assert chosen.request.location in mail.body_text
    assert "Att förbereda: Läs igenom kursplanen, en halvtimme." in mail.body_text
    (attachment,) = mail.attachments
    assert attachment["mimetype"] == "text/calendar"
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == chosen.title
    assert event.decoded("DTSTART").date() == timezone.localdate() + timedelta(days=2)


def test_a_changed_session_after_the_reminder_sends_a_new_one_once(chosen, unit_staff, resource_user, coordinator):
    to_signed(chosen, unit_staff, resource_user, coordinator)
    session = chosen.sessions.get()
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() + timedelta(days=1))
    reminders.remind_first_session()
    assert reminders.tell_changed_sessions() == 0
    session.refresh_from_db()
    values = {f: getattr(session, f) for f in ("date", "starts_at", "ends_at", "mode", "address", "link")}
    update_session(session, {**values, "address": "Hälsans hus, sal 4"}, actor=unit_staff)
    assert reminders.tell_changed_sessions() == 1
    assert reminders.tell_changed_sessions() == 0
    (mail,) = OutboundEmail.objects.filter(key__startswith="assignments.session_changed:")
    assert "Hälsans hus, sal 4" in mail.body_text
    (event,) = Calendar.from_ical(mail.attachments[0]["content"]).walk("VEVENT")
    assert str(event["LOCATION"]) == "Hälsans hus, sal 4"
    assert event["SEQUENCE"] > 0  # calendars update the event instead of adding another


def test_after_the_last_session_the_unit_is_asked_to_report_then_reminded_once(
    chosen, unit_staff, resource_user, coordinator, settings
):
    settings.COMPLETION_REMINDER_DAYS = 5
    to_signed(chosen, unit_staff, resource_user, coordinator)
    session = chosen.sessions.get()
    assert reminders.ask_for_reports() == 0
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() - timedelta(days=1))
    assert reminders.ask_for_reports() == 1
    assert reminders.ask_for_reports() == 0
    later = timezone.now() + timedelta(days=6)
    assert reminders.ask_for_reports(later) == 1
    assert reminders.ask_for_reports(later) == 0
    assert len(keys("assignments.report_request:")) == 1
    assert len(keys("assignments.report_reminder:")) == 1


def test_no_report_reminder_once_reported(chosen, unit_staff, resource_user, coordinator):
    to_signed(chosen, unit_staff, resource_user, coordinator)
    Session.objects.update(date=timezone.localdate() - timedelta(days=1))
    reminders.ask_for_reports()
    report_all_held(chosen, unit_staff)
    assert reminders.ask_for_reports(timezone.now() + timedelta(days=30)) == 0


def test_overdue_reports_are_on_the_coordinators_start_page(
    chosen, unit_staff, resource_user, coordinator, client, login, settings
):
    settings.COMPLETION_OVERDUE_DAYS = 14
    to_signed(chosen, unit_staff, resource_user, coordinator)
    Session.objects.update(date=timezone.localdate() - timedelta(days=15))
    assert list(reminders.report_overdue()) == [chosen]
    login(client, coordinator)
    text = client.get("/samordning/").content.decode()
    assert "Rapport saknas 14 dagar efter sista tillfället" in text
    assert chosen.reference in text


@pytest.mark.parametrize("runs", [1, 2])
def test_the_whole_sweep_run_twice_sends_each_mail_once(chosen, unit_staff, resource_user, coordinator, runs):
    to_signed(chosen, unit_staff, resource_user, coordinator)
    Session.objects.update(date=timezone.localdate() - timedelta(days=1))
    for _ in range(runs):
        reminders.sweep()
    assert len(keys("assignments.report_request:")) == 1
