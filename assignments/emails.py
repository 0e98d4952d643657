"""One function per e-mail about assignments, each a subject/text template pair under
templates/assignments/email/. Keys make each mail go out once, whatever runs twice."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from assignments.enums import Party
from assignments.models import Agreement, Assignment, CompletionReport, Session
from notifications.services import queue_email


def unit_link(assignment: Assignment) -> str:
    return settings.SITE_URL + reverse("assignments:unit_detail", args=[assignment.pk])


def own_link(assignment: Assignment) -> str:
    return settings.SITE_URL + reverse("assignments:own_detail", args=[assignment.pk])


def coordinator_link(assignment: Assignment) -> str:
    return settings.SITE_URL + reverse("assignments:detail", args=[assignment.pk])


def unit_addresses(assignment: Assignment) -> list[str]:
    addresses = [assignment.contact_email, getattr(assignment.contact_user, "email", "")]
    if not any(addresses):
        addresses = [assignment.request.contact_email]
    return sorted({a.lower() for a in addresses if a})


def coordinator_addresses(assignment: Assignment) -> list[str]:
    responsible = assignment.request.responsible
    return [responsible.email] if responsible and responsible.email else [settings.COORDINATORS_EMAIL]


def _context(assignment: Assignment, **extra) -> dict:
    return {
        "assignment": assignment,
        "request": assignment.request,
        "resource": assignment.resource,
        "unit_link": unit_link(assignment),
        "own_link": own_link(assignment),
        "coordinator_link": coordinator_link(assignment),
        "coordinators_email": settings.COORDINATORS_EMAIL,
        **extra,
    }


def _to_person(assignment: Assignment, *, key: str, template: str, attachments=(), **extra) -> None:
    if not assignment.resource.email:
        return  # no e-mail: the coordinators phone (their page shows the state)
    queue_email(
        key=f"{key}:{assignment.resource.email.lower()}",
        to=assignment.resource.email,
        template=f"assignments/email/{template}",
        context=_context(assignment, **extra),
        attachments=attachments,
    )


def _to_unit(assignment: Assignment, *, key: str, template: str, **extra) -> None:
    for address in unit_addresses(assignment):
        queue_email(
            key=f"{key}:{address}",
            to=address,
            template=f"assignments/email/{template}",
            context=_context(assignment, **extra),
        )


def _to_coordinators(assignment: Assignment, *, key: str, template: str, **extra) -> None:
    for address in coordinator_addresses(assignment):
        queue_email(
            key=f"{key}:{address}",
            to=address,
            template=f"assignments/email/{template}",
            context=_context(assignment, **extra),
        )


def send_draft_to_unit(assignment: Assignment) -> None:
    _to_unit(assignment, key=f"assignments.draft:{assignment.pk}", template="draft_unit")


def send_please_sign(agreement: Agreement, *, changed: bool = False) -> None:
    assignment = agreement.assignment
    key = f"assignments.please_sign:{agreement.pk}"
    _to_person(assignment, key=key, template="please_sign", agreement=agreement, changed=changed, link=own_link(assignment))
    _to_unit(assignment, key=key, template="please_sign", agreement=agreement, changed=changed, link=unit_link(assignment))


def send_sign_reminder(agreement: Agreement, party: str) -> None:
    assignment = agreement.assignment
    key = f"assignments.sign_reminder:{agreement.pk}"
    if party == Party.RESOURCE:
        _to_person(assignment, key=key, template="sign_reminder", agreement=agreement, link=own_link(assignment))
    else:
        _to_unit(assignment, key=key, template="sign_reminder", agreement=agreement, link=unit_link(assignment))


def send_cancelled(assignment: Assignment) -> None:
    """Everyone is told, with the reason; the coordinators get the answers page to ask someone else."""
    key = f"assignments.cancelled:{assignment.pk}"
    _to_person(assignment, key=key, template="cancelled", link=own_link(assignment))
    _to_unit(assignment, key=key, template="cancelled", link=unit_link(assignment))
    answers = settings.SITE_URL + reverse("matching:answers", args=[assignment.request_id])
    _to_coordinators(assignment, key=key, template="cancelled_coordinator", answers_link=answers)


def send_done(assignment: Assignment) -> None:
    _to_person(assignment, key=f"assignments.done:{assignment.pk}", template="done")


def send_please_confirm(assignment: Assignment, report: CompletionReport) -> None:
    # A corrected report is a new mail.
    stamp = f"{report.reported_at:%Y%m%d%H%M%S}" if report.reported_at else "1"
    _to_person(
        assignment,
        key=f"assignments.please_confirm:{assignment.pk}:{stamp}",
        template="please_confirm",
        report=report,
        sessions=list(assignment.sessions.all()),
    )


def send_disputed(assignment: Assignment, report: CompletionReport) -> None:
    _to_coordinators(assignment, key=f"assignments.disputed:{assignment.pk}", template="disputed", report=report)


def _calendar(ics: bytes) -> list[dict]:
    return [{"filename": "uppdrag.ics", "content": ics.decode(), "mimetype": "text/calendar"}]


def send_session_reminder(assignment: Assignment, ics: bytes) -> None:
    sessions = list(assignment.sessions.all())
    _to_person(
        assignment,
        key=f"assignments.session_reminder:{assignment.pk}",
        template="session_reminder",
        attachments=_calendar(ics),
        sessions=sessions,
    )


def send_session_changed(session: Session, ics: bytes) -> None:
    assignment = session.assignment
    _to_person(
        assignment,
        key=f"assignments.session_changed:{session.pk}:{session.changed_at:%Y%m%d%H%M%S%f}",
        template="session_changed",
        attachments=_calendar(ics),
        session=session,
        sessions=list(assignment.sessions.all()),
    )


def send_session_removed(assignment: Assignment, session: Session, *, ics: bytes | None, actor) -> None:
    """A session was taken out of an agreement the parties had: the person and the unit are told
    which one (whoever removed it is not told what they did). `ics` cancels the event in the
    person's calendar when they had been sent one."""
    key = f"assignments.session_removed:{assignment.pk}:{session.pk}"
    own = (getattr(actor, "email", "") or "").lower()
    sessions = list(assignment.sessions.all())
    if assignment.resource.email and assignment.resource.email.lower() != own:
        _to_person(
            assignment,
            key=key,
            template="session_removed",
            attachments=_calendar(ics) if ics else (),
            removed_list=[session],
            sessions=sessions,
            link=own_link(assignment),
            calendar=bool(ics),
        )
    for address in unit_addresses(assignment):
        if address == own:
            continue
        queue_email(
            key=f"{key}:{address}",
            to=address,
            template="assignments/email/session_removed",
            context=_context(assignment, removed_list=[session], sessions=sessions, link=unit_link(assignment), calendar=False),
        )


def send_report_request(assignment: Assignment) -> None:
    _to_unit(assignment, key=f"assignments.report_request:{assignment.pk}", template="report_request")


def send_report_reminder(assignment: Assignment) -> None:
    _to_unit(assignment, key=f"assignments.report_reminder:{assignment.pk}", template="report_reminder")
