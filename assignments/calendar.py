"""Calendar files (.ics) for an assignment's sessions, built with icalendar.

Each session is one VEVENT with a stable UID and a SEQUENCE that grows with every change, so a
calendar that imported the first file updates the event instead of adding a second one; a
removed session's file cancels its event (METHOD:CANCEL, the same UID, a higher SEQUENCE).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from icalendar import Calendar, Event

from assignments.enums import SessionMode
from assignments.models import Assignment, Session
from assignments.services.lifecycle import session_end, session_start


def _host() -> str:
    return settings.SITE_URL.split("//")[-1].split("/")[0]


def _uid(session: Session) -> str:
    return f"assignment-session-{session.pk}@{_host()}"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Levande bibliotek//SV")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def session_cancellation(assignment: Assignment, session: Session) -> bytes:
    """The .ics that removes one session (before it is deleted) from the person's calendar."""
    calendar = _calendar("CANCEL")
    now = datetime.now(UTC)
    event = Event()
    event.add("uid", _uid(session))
    event.add("dtstamp", now)
    event.add("dtstart", session_start(session))
    event.add("dtend", session_end(session))
    event.add("summary", assignment.title)
    event.add("status", "CANCELLED")
    # Above every SEQUENCE the session had (those are the times it changed).
    event.add("sequence", int(now.timestamp()) + 1)
    calendar.add_component(event)
    return calendar.to_ical()


def assignment_calendar(assignment: Assignment) -> bytes:
    calendar = _calendar("PUBLISH")
    now = datetime.now(UTC)
    for session in assignment.sessions.all():
        event = Event()
        event.add("uid", _uid(session))
        event.add("dtstamp", now)
        event.add("dtstart", session_start(session))
        event.add("dtend", session_end(session))
        event.add("summary", assignment.title)
        if session.mode == SessionMode.DIGITAL:
            event.add("location", session.link)
            event.add("url", session.link)
        else:
            event.add("location", session.address)
        lines = [f"{assignment.request.unit.name} ({assignment.reference})"]
        if assignment.contact_name:
            lines.append(" ".join(filter(None, [assignment.contact_name, assignment.contact_phone, assignment.contact_email])))
        if assignment.preparation:
            lines.append(assignment.preparation)
        event.add("description", "\n".join(lines))
        event.add("sequence", int(session.changed_at.timestamp()) if session.changed_at else 0)
        calendar.add_component(event)
    return calendar.to_ical()
