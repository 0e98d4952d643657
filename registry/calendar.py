"""Calendar files (.ics, RFC 5545) for the intake meeting and for events."""

from datetime import UTC, datetime, timedelta

from django.conf import settings


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def intake_invitation(*, uid: str, starts_at: datetime, place: str, summary: str, minutes: int = 60) -> str:
    return calendar_file(
        uid=uid, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes), place=place, summary=summary
    )


def calendar_file(*, uid: str, starts_at: datetime, ends_at: datetime, place: str, summary: str, cancelled: bool = False) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Levande bibliotek//SV",
        "METHOD:CANCEL" if cancelled else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@{settings.SITE_URL.split('//')[-1].split('/')[0]}",
        f"DTSTAMP:{_utc(datetime.now(UTC))}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(place)}",
        *(["STATUS:CANCELLED"] if cancelled else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
