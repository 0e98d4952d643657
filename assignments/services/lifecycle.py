"""An assignment's life: made from the coordinator's choice, one transition function, cancelling.

Every change of status goes through set_assignment_status(): the row is locked, the form's
version compared, the change checked against TRANSITIONS, logged, and the mails queued in
the same transaction. Two people acting on one assignment at once never silently overwrite
each other; the second is told and sees the current state.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action
from assignments import emails, signals
from assignments.enums import CLOSED_STATUSES, TRANSITIONS, AssignmentStatus, Party, SessionMode
from assignments.models import Assignment, Session
from assignments.services.errors import AssignmentError, StaleVersion, TransitionError
from matching.models import Inquiry
from registry.models import ExperienceResource
from requests_app.enums import TRANSITIONS as REQUEST_TRANSITIONS
from requests_app.enums import RequestStatus
from requests_app.models import UnitRequest
from requests_app.services import set_request_status

# A first session drafted from the request's dates, by how long the request says it takes.
DRAFT_TIMES = {"half_day": (time(9, 0), time(12, 0)), "full_day": (time(9, 0), time(16, 0))}
DEFAULT_TIMES = (time(13, 0), time(15, 0))


def lock(assignment: Assignment, expected_version: int | None = None) -> Assignment:
    # Only the assignment row is locked (of=self): the joined request and person are read, not held.
    locked = Assignment.objects.select_for_update(of=("self",)).select_related("request__unit", "resource").get(pk=assignment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion()
    return locked


def save(assignment: Assignment, fields: list[str]) -> None:
    assignment.version += 1
    assignment.save(update_fields=[*fields, "version"])


# --- made from the choice ---------------------------------------------------------------------


def on_choice_confirmed(sender, *, unit_request: UnitRequest, chosen: list[Inquiry], actor, **kwargs) -> None:
    """matching.signals.choice_confirmed: one assignment per chosen person, inside matching's transaction."""
    for inquiry in chosen:
        create_from_inquiry(inquiry, actor=actor)


def create_from_inquiry(inquiry: Inquiry, *, actor) -> Assignment:
    """The assignment for one chosen inquiry, drafted from the request. Idempotent: a signal sent
    twice, or a second click, finds the one already made."""
    if existing := Assignment.objects.filter(inquiry=inquiry).first():
        return existing
    unit_request = (
        UnitRequest.objects.select_for_update(of=("self",)).select_related("unit", "created_by").get(pk=inquiry.request_id)
    )
    number = Assignment.objects.filter(request=unit_request).count() + 1
    contact_user = unit_request.created_by
    if contact_user is not None and not unit_request.unit.staff.filter(pk=contact_user.pk).exists():
        contact_user = None
    assignment = Assignment.objects.create(
        request=unit_request,
        resource=inquiry.resource,
        inquiry=inquiry,
        reference=f"{unit_request.reference}-{number}",
        title=unit_request.title[:200],
        description=unit_request.kind_label or "",
        purpose=unit_request.purpose,
        preparation=unit_request.preparation,
        contact_user=contact_user,
        contact_name=unit_request.contact_name,
        contact_email=unit_request.contact_email,
        contact_phone=unit_request.contact_phone,
        share_email=inquiry.share_email,
        share_phone=inquiry.share_phone,
        status_changed_at=timezone.now(),
    )
    if unit_request.starts_on:
        starts, ends = DRAFT_TIMES.get(unit_request.duration, DEFAULT_TIMES)
        digital = unit_request.format == "digital"
        Session.objects.create(
            assignment=assignment,
            date=unit_request.starts_on,
            starts_at=starts,
            ends_at=ends,
            mode=SessionMode.DIGITAL if digital else SessionMode.ON_SITE,
            address="" if digital else unit_request.location[:300],
        )
    log_action(
        "assignments.assignment.created",
        actor=actor,
        obj=assignment,
        data={"reference": assignment.reference, "request": unit_request.pk, "resource": inquiry.resource_id},
    )
    emails.send_draft_to_unit(assignment)
    return assignment


# --- the one transition function ---------------------------------------------------------------


@transaction.atomic
def set_assignment_status(
    assignment: Assignment,
    target: str,
    *,
    actor,
    reason: str = "",
    party: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """The one way an assignment changes status: guard, lock, version, change, log, signal, mail.

    `party` is who cancels (unit, resource or coordinator); a cancellation needs a reason, which
    the others read.
    """
    locked = lock(assignment, expected_version)
    current = AssignmentStatus(locked.status)
    target = AssignmentStatus(target)
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            _("Uppdraget kan inte gå från ”%(from)s” till ”%(to)s”.") % {"from": current.label, "to": target.label}
        )
    reason = reason.strip()
    now = timezone.now()
    fields = ["status", "status_changed_at"]
    if target == AssignmentStatus.CANCELLED:
        if not reason:
            raise AssignmentError(_("Skriv varför uppdraget ställs in. De andra får läsa det."))
        if party not in Party.values:
            raise AssignmentError(_("Det måste framgå vem som ställer in uppdraget."))
        locked.cancel_reason, locked.cancelled_by, locked.cancelled_at = reason, party, now
        fields += ["cancel_reason", "cancelled_by", "cancelled_at"]
    if target == AssignmentStatus.DONE:
        locked.done_at = now
        fields.append("done_at")
    locked.status, locked.status_changed_at = target, now
    save(locked, fields)
    log_action(
        f"assignments.assignment.{target.value}",
        actor=actor,
        obj=locked,
        data={"from": current.value, "reason": reason, "party": party},
    )
    signals.assignment_status_changed.send(sender=Assignment, assignment=locked, previous=current, actor=actor)
    if target == AssignmentStatus.CANCELLED:
        emails.send_cancelled(locked)
    elif target == AssignmentStatus.DONE:
        _record_last_assignment(locked)
        signals.assignment_done.send(sender=Assignment, assignment=locked, actor=actor)
        emails.send_done(locked)
    if target in CLOSED_STATUSES:
        _complete_request_if_finished(locked, actor=actor)
    return locked


def _record_last_assignment(assignment: Assignment) -> None:
    """The registry's "last assignment" date: the last session held, or today."""
    last = assignment.sessions.order_by("-date").values_list("date", flat=True).first() or timezone.localdate()
    resource = ExperienceResource.objects.select_for_update().get(pk=assignment.resource_id)
    if resource.last_assignment_on is None or resource.last_assignment_on < last:
        ExperienceResource.objects.filter(pk=resource.pk).update(last_assignment_on=last)


def _complete_request_if_finished(assignment: Assignment, *, actor) -> None:
    """A request is completed when all its assignments are done or cancelled, and at least one was
    done. If every one was cancelled the request stays matched: the coordinator may ask someone else."""
    statuses = set(Assignment.objects.filter(request_id=assignment.request_id).values_list("status", flat=True))
    if not statuses <= CLOSED_STATUSES or AssignmentStatus.DONE not in statuses:
        return
    unit_request = UnitRequest.objects.get(pk=assignment.request_id)
    if RequestStatus.COMPLETED in REQUEST_TRANSITIONS[unit_request.status]:
        set_request_status(unit_request, RequestStatus.COMPLETED, actor=actor)


def cancel(assignment: Assignment, *, actor, party: str, reason: str, expected_version: int | None = None) -> Assignment:
    return set_assignment_status(
        assignment, AssignmentStatus.CANCELLED, actor=actor, party=party, reason=reason, expected_version=expected_version
    )


def session_start(session: Session) -> datetime:
    return timezone.make_aware(datetime.combine(session.date, session.starts_at))


def session_end(session: Session) -> datetime:
    return timezone.make_aware(datetime.combine(session.date, session.ends_at))


def is_late_cancellation(session: Session, when: datetime | None = None) -> bool:
    """Inside LATE_CANCELLATION_HOURS before the start: the fee is still due."""
    when = when or timezone.now()
    return session_start(session) - when < timedelta(hours=settings.LATE_CANCELLATION_HOURS)
