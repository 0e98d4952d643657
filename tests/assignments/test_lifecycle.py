"""The state machine, cancelling, completion, and what happens when an assignment is done."""

import itertools
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from assignments import signals
from assignments.enums import TRANSITIONS, AssignmentStatus, CompletionStatus, Party, SessionOutcome
from assignments.models import Assignment
from assignments.services import (
    AssignmentError,
    StaleVersion,
    TransitionError,
    cancel,
    confirm_completion,
    create_from_inquiry,
    dispute_completion,
    report_completion,
    resolve_dispute,
    set_assignment_status,
)
from assignments.services.lifecycle import is_late_cancellation
from matching.signals import choice_confirmed
from notifications.models import OutboundEmail
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from tests.assignments.conftest import make_chosen
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.assignments.helpers import report_all_held, to_signed

ALL = list(AssignmentStatus)
LEGAL = [(a, b) for a, b in itertools.product(ALL, ALL) if b in TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in itertools.product(ALL, ALL) if b not in TRANSITIONS[a]]


def at(status) -> Assignment:
    return AssignmentFactory(status=status, cancel_reason="Skäl" if status == AssignmentStatus.CANCELLED else "")


def test_choice_makes_one_assignment_per_chosen_person_drafted_from_the_request(chosen, unit_staff):
    assert chosen.status == AssignmentStatus.DRAFTING
    assert chosen.reference == f"{chosen.request.reference}-1"
    assert chosen.title == "Berätta om diabetes för nya sjuksköterskor"
    assert chosen.purpose == chosen.request.purpose
    assert chosen.contact_user == unit_staff
    assert (chosen.share_email, chosen.share_phone) == (True, False)
    (session,) = chosen.sessions.all()
    assert session.date == chosen.request.starts_on
    assert session.address == chosen.request.location
    assert AuditEntry.objects.filter(action="assignments.assignment.created", object_id=str(chosen.pk)).count() == 1


def test_the_signal_sent_twice_makes_one_assignment(chosen, coordinator):
    choice_confirmed.send(sender=UnitRequest, unit_request=chosen.request, chosen=[chosen.inquiry], actor=coordinator)
    assert create_from_inquiry(chosen.inquiry, actor=coordinator) == chosen
    assert Assignment.objects.count() == 1


def test_a_request_without_dates_gets_no_session(coordinator, unit, unit_staff):
    assignment = make_chosen(coordinator, unit, unit_staff, starts_on=None)
    assert assignment.sessions.count() == 0


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_change(db, coordinator, current, target):
    assignment = at(current)
    changed = set_assignment_status(assignment, target, actor=coordinator, reason="Skäl", party=Party.COORDINATOR)
    assert changed.status == target
    assert changed.version == assignment.version + 1
    assert AuditEntry.objects.filter(action=f"assignments.assignment.{target.value}", object_id=str(assignment.pk)).count() == 1


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_change_is_refused(db, coordinator, current, target):
    assignment = at(current)
    with pytest.raises(TransitionError, match="kan inte gå från"):
        set_assignment_status(assignment, target, actor=coordinator, reason="Skäl", party=Party.COORDINATOR)
    assignment.refresh_from_db()
    assert assignment.status == current


def test_a_stale_form_changes_nothing(db, coordinator):
    assignment = AssignmentFactory()
    with pytest.raises(StaleVersion):
        set_assignment_status(assignment, AssignmentStatus.SIGNING, actor=coordinator, expected_version=assignment.version + 1)
    assert Assignment.objects.get().status == AssignmentStatus.DRAFTING


def test_cancel_requires_a_reason(db, coordinator):
    assignment = AssignmentFactory()
    with pytest.raises(AssignmentError, match="Skriv varför"):
        cancel(assignment, actor=coordinator, party=Party.COORDINATOR, reason="  ")
    assert Assignment.objects.get().status == AssignmentStatus.DRAFTING


@pytest.mark.parametrize("party", [Party.UNIT, Party.RESOURCE, Party.COORDINATOR])
def test_cancel_tells_everyone_and_offers_the_coordinator_the_answers_page(chosen, coordinator, party):
    cancelled = cancel(chosen, actor=coordinator, party=party, reason="Verksamheten har fått ändrade planer")
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
        AssignmentStatus.CANCELLED,
        party,
        "Verksamheten har fått ändrade planer",
    )
    sent = {e.to: e for e in OutboundEmail.objects.filter(key__startswith=f"assignments.cancelled:{chosen.pk}:")}
    assert set(sent) == {chosen.resource.email, chosen.contact_email, "levandebibliotek@regionexempel.se"}
    assert "Verksamheten har fått ändrade planer" in sent[chosen.resource.email].body_text
    assert f"/samordning/forfragningar/{chosen.request_id}/svar/" in sent["levandebibliotek@regionexempel.se"].body_text
    # Every assignment cancelled: the request stays matched, so someone else can be asked.
    assert UnitRequest.objects.get(pk=chosen.request_id).status == RequestStatus.MATCHED


def test_done_after_confirmed_report_sets_last_assignment_and_completes_the_request(
    chosen, coordinator, unit_staff, resource_user
):
    done_events = []

    def receiver(sender, assignment, actor, **kwargs):
        done_events.append((assignment.pk, actor))

    signals.assignment_done.connect(receiver)
    try:
        to_signed(chosen, unit_staff, resource_user, coordinator)
        report = report_all_held(chosen, unit_staff)
        assert report.status == CompletionStatus.REPORTED
        assert Assignment.objects.get().status == AssignmentStatus.SIGNED  # not done until the person confirms
        done = confirm_completion(chosen, actor=resource_user)
    finally:
        signals.assignment_done.disconnect(receiver)
    assert done.status == AssignmentStatus.DONE
    assert done.done_at is not None
    assert done_events == [(chosen.pk, resource_user)]
    chosen.resource.refresh_from_db()
    assert chosen.resource.last_assignment_on == chosen.sessions.get().date
    assert UnitRequest.objects.get(pk=chosen.request_id).status == RequestStatus.COMPLETED


def test_request_completes_only_when_every_assignment_is_closed(db, coordinator, unit_staff, resource_user, unit):
    first = make_chosen(coordinator, unit, unit_staff, resource_user)
    second = AssignmentFactory(request=first.request, reference=f"{first.request.reference}-2")
    to_signed(first, unit_staff, resource_user, coordinator)
    report_all_held(first, unit_staff)
    confirm_completion(first, actor=resource_user)
    assert UnitRequest.objects.get(pk=first.request_id).status == RequestStatus.MATCHED
    cancel(second, actor=coordinator, party=Party.COORDINATOR, reason="Personen blev sjuk")
    assert UnitRequest.objects.get(pk=first.request_id).status == RequestStatus.COMPLETED


def test_report_needs_every_session_and_hours_for_another_length(chosen, coordinator, unit_staff, resource_user):
    SessionFactory(assignment=chosen)
    to_signed(chosen, unit_staff, resource_user, coordinator)
    first, second = chosen.sessions.all()
    with pytest.raises(AssignmentError, match="varje tillfälle"):
        report_completion(chosen, {first.pk: (SessionOutcome.HELD, None)}, actor=unit_staff)
    with pytest.raises(AssignmentError, match="hur många timmar"):
        report_completion(
            chosen, {first.pk: (SessionOutcome.HELD, None), second.pk: (SessionOutcome.OTHER_LENGTH, None)}, actor=unit_staff
        )
    report_completion(
        chosen,
        {first.pk: (SessionOutcome.LATE_CANCELLED, None), second.pk: (SessionOutcome.OTHER_LENGTH, Decimal("2.5"))},
        actor=unit_staff,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, second.outcome, second.held_hours) == (
        SessionOutcome.LATE_CANCELLED,
        SessionOutcome.OTHER_LENGTH,
        Decimal("2.5"),
    )


def test_report_before_signing_is_refused(chosen, unit_staff):
    with pytest.raises(AssignmentError, match="underskriven av båda"):
        report_all_held(chosen, unit_staff)


def test_dispute_needs_a_comment_and_a_coordinator_resolves(chosen, coordinator, unit_staff, resource_user):
    to_signed(chosen, unit_staff, resource_user, coordinator)
    report_all_held(chosen, unit_staff)
    with pytest.raises(AssignmentError, match="vad som inte stämmer"):
        dispute_completion(chosen, " ", actor=resource_user)
    report = dispute_completion(chosen, "Jag var där i fyra timmar, inte tre.", actor=resource_user)
    assert report.status == CompletionStatus.DISPUTED
    assert Assignment.objects.get().status == AssignmentStatus.SIGNED
    with pytest.raises(AssignmentError, match="ingen rapport som väntar"):
        confirm_completion(chosen, actor=resource_user)
    session = chosen.sessions.get()
    done = resolve_dispute(
        chosen, "Vi räknar fyra timmar.", {session.pk: (SessionOutcome.OTHER_LENGTH, Decimal("4.0"))}, actor=coordinator
    )
    assert done.status == AssignmentStatus.DONE
    assert done.completion.status == CompletionStatus.RESOLVED
    session.refresh_from_db()
    assert session.held_hours == Decimal("4.0")


def test_late_cancellation_is_inside_the_setting(db, settings):
    settings.LATE_CANCELLATION_HOURS = 48
    session = SessionFactory(date=timezone.localdate() + timedelta(days=10), starts_at=time(13, 0), ends_at=time(16, 0))
    start = timezone.make_aware(datetime.combine(session.date, session.starts_at))
    assert is_late_cancellation(session, when=start - timedelta(hours=47)) is True
    assert is_late_cancellation(session, when=start - timedelta(hours=49)) is False
