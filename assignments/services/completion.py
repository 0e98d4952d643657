"""Completion: the unit reports each session, the person confirms or disputes, a coordinator
resolves a dispute. Only a confirmed or resolved report makes the assignment done; compensation
pays from the sessions' outcomes."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments import emails
from assignments.enums import AssignmentStatus, CompletionStatus, SessionOutcome
from assignments.models import Assignment, CompletionReport, Session
from assignments.services.errors import AssignmentError
from assignments.services.lifecycle import lock, save, set_assignment_status


def _apply_outcomes(locked: Assignment, outcomes: dict[int, tuple[str, Decimal | None]]) -> list[dict]:
    sessions = list(Session.objects.select_for_update().filter(assignment=locked))
    if {s.pk for s in sessions} != set(outcomes):
        raise AssignmentError(_("Rapportera hur det gick för varje tillfälle."))
    recorded = []
    for session in sessions:
        outcome, hours = outcomes[session.pk]
        outcome = SessionOutcome(outcome)
        if outcome == SessionOutcome.OTHER_LENGTH:
            if hours is None or hours <= 0:
                raise AssignmentError(_("Skriv hur många timmar tillfället %(date)s tog.") % {"date": session.date.isoformat()})
        else:
            hours = None
        session.outcome, session.actual_hours = outcome, hours
        session.save(update_fields=["outcome", "actual_hours"])
        recorded.append({"session": session.pk, "outcome": outcome.value, "hours": hours})
    return recorded


@transaction.atomic
def report_completion(
    assignment: Assignment,
    outcomes: dict[int, tuple[str, Decimal | None]],
    *,
    actor,
    comment: str = "",
    expected_version: int | None = None,
) -> CompletionReport:
    """The unit's report. It can be corrected until the person has answered."""
    locked = lock(assignment, expected_version)
    if locked.status != AssignmentStatus.SIGNED:
        raise AssignmentError(_("Hur det gick rapporteras när överenskommelsen är underskriven av båda."))
    report = CompletionReport.objects.select_for_update().filter(assignment=locked).first()
    if report is not None and report.status != CompletionStatus.REPORTED:
        raise AssignmentError(_("Personen har redan svarat på rapporten."))
    recorded = _apply_outcomes(locked, outcomes)
    if report is None:
        report = CompletionReport.objects.create(assignment=locked, reported_by=actor, unit_comment=comment.strip())
    else:
        report.reported_by, report.unit_comment, report.reported_at = actor, comment.strip(), timezone.now()
        report.save(update_fields=["reported_by", "unit_comment", "reported_at"])
    save(locked, [])
    log_action("assignments.completion.reported", actor=actor, obj=locked, data={"sessions": recorded})
    emails.send_please_confirm(locked, report)
    return report


@transaction.atomic
def confirm_completion(assignment: Assignment, *, actor, expected_version: int | None = None) -> Assignment:
    locked = lock(assignment, expected_version)
    report = _open_report(locked)
    report.status, report.answered_at = CompletionStatus.CONFIRMED, timezone.now()
    report.save(update_fields=["status", "answered_at"])
    log_action("assignments.completion.confirmed", actor=actor, obj=locked)
    return set_assignment_status(locked, AssignmentStatus.DONE, actor=actor)


@transaction.atomic
def dispute_completion(assignment: Assignment, comment: str, *, actor, expected_version: int | None = None) -> CompletionReport:
    comment = comment.strip()
    if not comment:
        raise AssignmentError(_("Skriv vad som inte stämmer. Samordnarna läser det."))
    locked = lock(assignment, expected_version)
    report = _open_report(locked)
    report.status, report.person_comment, report.answered_at = CompletionStatus.DISPUTED, comment, timezone.now()
    report.save(update_fields=["status", "person_comment", "answered_at"])
    save(locked, [])
    log_action("assignments.completion.disputed", actor=actor, obj=locked, data={"reason": comment})
    emails.send_disputed(locked, report)
    return report


@transaction.atomic
def resolve_dispute(
    assignment: Assignment,
    resolution: str,
    outcomes: dict[int, tuple[str, Decimal | None]],
    *,
    actor,
    expected_version: int | None = None,
) -> Assignment:
    """A coordinator decides what was done (the outcomes may be corrected); the assignment is done."""
    resolution = resolution.strip()
    if not resolution:
        raise AssignmentError(_("Skriv vad ni har kommit fram till. Båda parter får läsa det."))
    locked = lock(assignment, expected_version)
    report = CompletionReport.objects.select_for_update().filter(assignment=locked).first()
    if report is None or report.status != CompletionStatus.DISPUTED:
        raise AssignmentError(_("Det finns ingen ifrågasatt rapport att avgöra."))
    recorded = _apply_outcomes(locked, outcomes)
    report.status, report.resolution, report.resolved_by, report.resolved_at = (
        CompletionStatus.RESOLVED,
        resolution,
        actor,
        timezone.now(),
    )
    report.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    log_action("assignments.completion.resolved", actor=actor, obj=locked, data={"reason": resolution, "sessions": recorded})
    return set_assignment_status(locked, AssignmentStatus.DONE, actor=actor)


def _open_report(locked: Assignment) -> CompletionReport:
    report = CompletionReport.objects.select_for_update().filter(assignment=locked).first()
    if report is None or report.status != CompletionStatus.REPORTED:
        raise AssignmentError(_("Det finns ingen rapport som väntar på ditt svar."))
    return report
