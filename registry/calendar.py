"""Calendar files (.ics, RFC 5545) for the intake meeting and for events.

Written with `icalendar`, which escapes text and folds long lines at 75 octets as the RFC
requires; some calendars refuse a file with a long title or place otherwise.
"""

from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings


def intake_invitation(*, uid: str, starts_at: datetime, place: str, summary: str, minutes: int = 60) -> str:
    return calendar_file(
        uid=uid, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes), place=place, summary=summary
    )


def calendar_file(*, uid: str, starts_at: datetime, ends_at: datetime, place: str, summary: str, cancelled: bool = False) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Levande bibliotek//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{uid}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", str(summary))
    event.add("location", place)
    if cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
