from datetime import UTC, datetime

import icalendar

from registry.calendar import calendar_file


def test_long_titles_and_places_are_folded_and_read_back_whole():
    title = "Nätverksträff om delaktighet, vårdens förbättringsarbete; och patientens röst " * 4
    place = "Hälsans hus, Storgatan 12, plan 3, sal Å\nIngång från parken"
    text = calendar_file(
        uid="event-1",
        starts_at=datetime(2026, 12, 13, 9, 30, tzinfo=UTC),
        ends_at=datetime(2026, 12, 13, 12, 0, tzinfo=UTC),
        place=place,
        summary=title,
        cancelled=True,
    )

    lines = text.split("\r\n")
    assert text.endswith("\r\n")
    assert max(len(line.encode()) for line in lines) <= 75  # RFC 5545 3.1: fold at 75 octets
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == place
    assert event["DTSTART"].dt == datetime(2026, 12, 13, 9, 30, tzinfo=UTC)
    assert str(event["STATUS"]) == "CANCELLED"
    assert "METHOD:CANCEL" in lines
