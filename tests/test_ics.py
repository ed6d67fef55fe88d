from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.ics import (
    ICS_CONTENT_TYPE,
    PRODID,
    CalendarEvent,
    build_calendar,
    event_uid,
    ics_content_type,
)

PARIS = ZoneInfo("Europe/Paris")


def make_event(**changes):
    event = CalendarEvent(
        uid=event_uid("audition", 42, "label.example.org"),
        sequence=3,
        start=datetime(2026, 6, 15, 14, 30, tzinfo=PARIS),
        end=datetime(2026, 6, 15, 15, 0, tzinfo=PARIS),
        summary="Audition : Jardin partagé des Lilas",
        description="Dossier : https://label.example.org/jury/dossiers/42/",
        location="Hôtel de territoire, salle 2, Vitry-sur-Seine",
        url="https://label.example.org/jury/dossiers/42/",
        organizer_email="jury@label.example.org",
        attendee_emails=("asso@example.org", "jury1@demo.test"),
    )
    return replace(event, **changes)


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.events
    assert len(events) == 1
    return calendar, events[0]


def test_event_uid_is_stable_per_object():
    assert event_uid("audition", 42, "label.example.org") == "audition-42@label.example.org"
    assert event_uid("audition", 42, "label.example.org") == event_uid(
        "audition", 42, "label.example.org"
    )
    assert event_uid("audition", 43, "label.example.org") != event_uid(
        "audition", 42, "label.example.org"
    )


def test_calendar_header_properties():
    calendar, _ = parse(build_calendar(make_event()))

    assert calendar.name == "VCALENDAR"
    assert calendar["PRODID"] == PRODID
    assert calendar["PRODID"] == "-//EPT Grand-Orly Seine Bievre//Label Actions Innovantes//FR"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "REQUEST"


def test_event_properties_round_trip():
    stamp = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    _, vevent = parse(build_calendar(make_event(), stamp=stamp))

    assert vevent["UID"] == "audition-42@label.example.org"
    assert vevent["SEQUENCE"] == 3
    assert vevent.decoded("DTSTAMP") == stamp
    assert vevent["SUMMARY"] == "Audition : Jardin partagé des Lilas"
    assert vevent["DESCRIPTION"] == "Dossier : https://label.example.org/jury/dossiers/42/"
    assert vevent["LOCATION"] == "Hôtel de territoire, salle 2, Vitry-sur-Seine"
    assert vevent["URL"] == "https://label.example.org/jury/dossiers/42/"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["ORGANIZER"] == "mailto:jury@label.example.org"


def test_attendees_are_required_participants_asked_to_reply():
    _, vevent = parse(build_calendar(make_event()))

    attendees = vevent.attendees
    assert [str(attendee) for attendee in attendees] == [
        "mailto:asso@example.org",
        "mailto:jury1@demo.test",
    ]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"


def test_duplicate_attendees_are_listed_once():
    event = make_event(attendee_emails=("jury1@demo.test", "JURY1@demo.test", "asso@example.org"))
    _, vevent = parse(build_calendar(event))

    assert [str(attendee) for attendee in vevent.attendees] == [
        "mailto:jury1@demo.test",
        "mailto:asso@example.org",
    ]


def test_paris_summer_time_is_written_in_utc_and_round_trips():
    data = build_calendar(make_event())
    _, vevent = parse(data)

    assert b"DTSTART:20260615T123000Z\r\n" in data
    assert b"DTEND:20260615T130000Z\r\n" in data
    assert vevent.start == datetime(2026, 6, 15, 12, 30, tzinfo=UTC)
    assert vevent.end == datetime(2026, 6, 15, 13, 0, tzinfo=UTC)
    # The same instant as the Paris time given.
    assert vevent.start == datetime(2026, 6, 15, 14, 30, tzinfo=PARIS)
    assert vevent.start.astimezone(PARIS).hour == 14


def test_paris_winter_time_is_one_hour_ahead_of_utc():
    event = make_event(
        start=datetime(2026, 12, 3, 9, 15, tzinfo=PARIS),
        end=datetime(2026, 12, 3, 9, 45, tzinfo=PARIS),
    )
    data = build_calendar(event)

    assert b"DTSTART:20261203T081500Z\r\n" in data
    assert b"DTEND:20261203T084500Z\r\n" in data


def test_dtstamp_defaults_to_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    data = build_calendar(make_event())
    after = datetime.now(UTC)
    _, vevent = parse(data)

    stamp = vevent.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert before <= stamp <= after
    assert b"DTSTAMP:" in data
    line = next(line for line in data.split(b"\r\n") if line.startswith(b"DTSTAMP:"))
    assert line.endswith(b"Z")


def test_text_is_escaped_and_round_trips():
    summary = "Projet ; test, virgule\nligne"
    event = make_event(
        summary=summary,
        description="Première ligne\nSeconde ; avec, ponctuation\\fin",
        location="Salle A, bâtiment B; 2e étage",
    )
    data = build_calendar(event)
    _, vevent = parse(data)

    assert b"SUMMARY:Projet \\; test\\, virgule\\nligne\r\n" in data
    assert vevent["SUMMARY"] == summary
    assert vevent["DESCRIPTION"] == "Première ligne\nSeconde ; avec, ponctuation\\fin"
    assert vevent["LOCATION"] == "Salle A, bâtiment B; 2e étage"
    # No raw newline escapes the property: every physical line is CRLF-terminated.
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_long_lines_are_folded_and_unfold_back():
    description = "Présentation du projet " * 20
    data = build_calendar(make_event(description=description))
    _, vevent = parse(data)

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert vevent["DESCRIPTION"] == description


def test_sequence_is_the_given_number():
    for sequence in (0, 1, 7):
        _, vevent = parse(build_calendar(make_event(sequence=sequence)))
        assert vevent["SEQUENCE"] == sequence


def test_rescheduling_keeps_the_uid_and_bumps_the_sequence():
    first = make_event(sequence=0)
    moved = replace(
        first,
        sequence=1,
        start=first.start + timedelta(hours=1),
        end=first.end + timedelta(hours=1),
    )
    _, vevent_first = parse(build_calendar(first))
    _, vevent_moved = parse(build_calendar(moved))

    assert vevent_first["UID"] == vevent_moved["UID"]
    assert vevent_moved["SEQUENCE"] == vevent_first["SEQUENCE"] + 1
    assert vevent_moved.start == datetime(2026, 6, 15, 13, 30, tzinfo=UTC)


def test_cancellation():
    event = make_event(cancelled=True, sequence=4)
    data = build_calendar(event)
    calendar, vevent = parse(data)

    assert calendar["METHOD"] == "CANCEL"
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["UID"] == "audition-42@label.example.org"
    assert vevent["SEQUENCE"] == 4
    assert b"METHOD:CANCEL\r\n" in data
    assert b"STATUS:CANCELLED\r\n" in data
    assert b"METHOD:REQUEST" not in data
    assert len(vevent.attendees) == 2


def test_content_type_follows_the_method():
    assert ICS_CONTENT_TYPE == "text/calendar; charset=utf-8; method=REQUEST"
    assert ics_content_type(make_event()) == ICS_CONTENT_TYPE
    assert (
        ics_content_type(make_event(cancelled=True))
        == "text/calendar; charset=utf-8; method=CANCEL"
    )


def test_empty_optional_text_is_left_out():
    _, vevent = parse(build_calendar(make_event(description="", location="", url="")))

    assert "DESCRIPTION" not in vevent
    assert "LOCATION" not in vevent
    assert "URL" not in vevent


def test_output_is_crlf_utf8_calendar():
    data = build_calendar(make_event())

    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert data.count(b"BEGIN:VEVENT") == 1
    data.decode("utf-8")


@pytest.mark.parametrize(
    "changes",
    [
        {"start": datetime(2026, 6, 15, 14, 30)},
        {"end": datetime(2026, 6, 15, 15, 0)},
        {"end": datetime(2026, 6, 15, 14, 0, tzinfo=PARIS)},
        {"sequence": -1},
        {"uid": ""},
        {"organizer_email": " "},
    ],
)
def test_invalid_events_are_refused(changes):
    with pytest.raises(ValueError):
        make_event(**changes)


def test_line_breaks_in_an_address_are_refused():
    event = make_event(attendee_emails=("jury1@demo.test\r\nX-INJECT:1",))

    with pytest.raises(ValueError):
        build_calendar(event)
