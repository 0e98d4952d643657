"""A calendar invitation (.ics, RFC 5545) for the intake meeting."""

from datetime import UTC, datetime, timedelta

from django.conf import settings


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def intake_invitation(*, uid: str, starts_at: datetime, place: str, summary: str, minutes: int = 60) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Levande bibliotek//SV",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@{settings.SITE_URL.split('//')[-1].split('/')[0]}",
        f"DTSTAMP:{_utc(datetime.now(UTC))}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(starts_at + timedelta(minutes=minutes))}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(place)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
