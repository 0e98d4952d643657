"""The reminder sweeps (Celery beat, every 15 minutes), all over database state.

Each sweep claims a row with a conditional UPDATE before it queues the mail (whose key is
unique too), so two runs at once, or a run after a worker died, send nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.utils import timezone

from accounts.audit import log_action
from assignments import emails
from assignments.calendar import assignment_calendar
from assignments.enums import AssignmentStatus
from assignments.models import Agreement, Assignment, CompletionReport, Session, Signature
from assignments.services.signing import REQUIRED_PARTIES

REMINDED_STATUSES = (AssignmentStatus.SIGNING, AssignmentStatus.SIGNED)


def unsigned_overdue(now: datetime | None = None):
    """Current versions out for signing longer than AGREEMENT_REMINDER_DAYS (also the start page's list)."""
    now = now or timezone.now()
    return Agreement.objects.filter(
        assignment__status=AssignmentStatus.SIGNING,
        voided_at__isnull=True,
        signed_at__isnull=True,
        sent_at__lte=now - timedelta(days=settings.AGREEMENT_REMINDER_DAYS),
    )


def report_overdue(today=None):
    """Signed assignments whose last session was COMPLETION_OVERDUE_DAYS ago or more, without a report."""
    today = today or timezone.localdate()
    return (
        Assignment.objects.filter(status=AssignmentStatus.SIGNED)
        .annotate(last_session=Max("sessions__date"))
        .filter(last_session__lte=today - timedelta(days=settings.COMPLETION_OVERDUE_DAYS))
        .exclude(Exists(CompletionReport.objects.filter(assignment=OuterRef("pk"))))
    )


def remind_unsigned(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for agreement_id in list(unsigned_overdue(now).filter(reminded_at__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            if not Agreement.objects.filter(pk=agreement_id, reminded_at__isnull=True).update(reminded_at=now):
                continue
            agreement = Agreement.objects.select_related("assignment__request__unit", "assignment__resource").get(pk=agreement_id)
            signed = set(Signature.objects.filter(agreement=agreement).values_list("party", flat=True))
            for party in REQUIRED_PARTIES:
                if party not in signed:
                    emails.send_sign_reminder(agreement, party)
            log_action("assignments.agreement.reminded", obj=agreement.assignment, data={"version": agreement.version})
        sent += 1
    return sent


def remind_first_session(now: datetime | None = None) -> int:
    """The person, ASSIGNMENT_REMINDER_DAYS_BEFORE the first session: time, place, contact, what to
    prepare, and an .ics."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Assignment.objects.filter(status__in=REMINDED_STATUSES, session_reminder_sent_at__isnull=True)
        .annotate(first=Min("sessions__date"))
        .filter(first__gte=today, first__lte=today + timedelta(days=settings.ASSIGNMENT_REMINDER_DAYS_BEFORE))
    )
    sent = 0
    for assignment_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            claimed = Assignment.objects.filter(pk=assignment_id, session_reminder_sent_at__isnull=True).update(
                session_reminder_sent_at=now
            )
            if not claimed:
                continue
            assignment = Assignment.objects.select_related("request__unit", "resource").get(pk=assignment_id)
            # Changes made before this reminder are in it.
            Session.objects.filter(assignment=assignment).update(notified_at=F("changed_at"))
            emails.send_session_reminder(assignment, assignment_calendar(assignment))
            log_action("assignments.assignment.session_reminder", obj=assignment)
        sent += 1
    return sent


def tell_changed_sessions(now: datetime | None = None) -> int:
    """A session changed after the person had their reminder: a new mail with the new .ics."""
    now = now or timezone.now()
    changed = Session.objects.filter(
        assignment__status__in=REMINDED_STATUSES,
        assignment__session_reminder_sent_at__isnull=False,
        changed_at__isnull=False,
        date__gte=timezone.localdate(now),
    ).filter(Q(notified_at__isnull=True) | Q(notified_at__lt=F("changed_at")))
    sent = 0
    for session_id, changed_at in list(changed.values_list("pk", "changed_at")):
        with transaction.atomic():
            claimed = (
                Session.objects.filter(pk=session_id, changed_at=changed_at)
                .filter(Q(notified_at__isnull=True) | Q(notified_at__lt=changed_at))
                .update(notified_at=changed_at)
            )
            if not claimed:
                continue
            session = Session.objects.select_related("assignment__request__unit", "assignment__resource").get(pk=session_id)
            emails.send_session_changed(session, assignment_calendar(session.assignment))
            log_action("assignments.session.person_told", obj=session.assignment, data={"session": session_id})
        sent += 1
    return sent


def ask_for_reports(now: datetime | None = None) -> int:
    """The day after the last session the unit is asked to report; COMPLETION_REMINDER_DAYS later, reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    no_report = ~Exists(CompletionReport.objects.filter(assignment=OuterRef("pk")))
    waiting = Assignment.objects.filter(status=AssignmentStatus.SIGNED).filter(no_report).annotate(last=Max("sessions__date"))
    sent = 0
    for assignment_id in list(waiting.filter(last__lt=today, report_requested_at__isnull=True).values_list("pk", flat=True)):
        with transaction.atomic():
            if not Assignment.objects.filter(pk=assignment_id, report_requested_at__isnull=True).update(report_requested_at=now):
                continue
            emails.send_report_request(Assignment.objects.select_related("request__unit", "resource").get(pk=assignment_id))
        sent += 1
    reminder_due = waiting.filter(
        report_requested_at__lte=now - timedelta(days=settings.COMPLETION_REMINDER_DAYS), report_reminded_at__isnull=True
    )
    for assignment_id in list(reminder_due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Assignment.objects.filter(pk=assignment_id, report_reminded_at__isnull=True).update(report_reminded_at=now):
                continue
            emails.send_report_reminder(Assignment.objects.select_related("request__unit", "resource").get(pk=assignment_id))
        sent += 1
    return sent


def sweep(now: datetime | None = None) -> dict:
    return {
        "unsigned": remind_unsigned(now),
        "first_session": remind_first_session(now),
        "changed_sessions": tell_changed_sessions(now),
        "reports": ask_for_reports(now),
    }
