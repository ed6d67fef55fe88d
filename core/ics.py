"""Calendar invitations (iCalendar, RFC 5545 / iTIP RFC 5546) for jury convocations.

One audition keeps one UID for its whole life; every change is sent again
with a higher SEQUENCE, and a cancellation goes out as ``METHOD:CANCEL``
with ``STATUS:CANCELLED``, so calendar clients update or remove the entry
they already hold instead of adding a second one.

Times are written in UTC (``DTSTART:20260615T123000Z``): every client
converts them to the reader's zone, and no VTIMEZONE block is needed.
Escaping of text (commas, semicolons, newlines) and line folding are left
to the icalendar library.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

PRODID = "-//EPT Grand-Orly Seine Bievre//Label Actions Innovantes//FR"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
ICS_CANCEL_CONTENT_TYPE = "text/calendar; charset=utf-8; method=CANCEL"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    location: str
    url: str
    organizer_email: str
    attendee_emails: tuple[str, ...]
    cancelled: bool = False

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime, got {value!r}")
        if self.end <= self.start:
            raise ValueError("end must come after start")
        if self.sequence < 0:
            raise ValueError("sequence cannot be negative")
        if not self.uid:
            raise ValueError("uid is required")
        if not self.organizer_email.strip():
            raise ValueError("organizer_email is required")


def site_domain() -> str:
    """The portal's host name, the right-hand side of every UID it writes."""
    return urlparse(settings.SITE_URL).hostname or "label-actions-innovantes.local"


def organizer_email() -> str:
    """The ORGANIZER of every invitation: the address the portal's mails come from."""
    return settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">").strip()


def event_uid(kind: str, pk: int, domain: str) -> str:
    """A UID that stays the same for one object across every sending."""
    return f"{kind}-{pk}@{domain}"


def ics_method(event: CalendarEvent) -> str:
    return "CANCEL" if event.cancelled else "REQUEST"


def ics_content_type(event: CalendarEvent) -> str:
    """The MIME type of the attachment; its ``method`` matches the calendar's METHOD."""
    return ICS_CANCEL_CONTENT_TYPE if event.cancelled else ICS_CONTENT_TYPE


def _unique(emails: tuple[str, ...]) -> list[str]:
    seen: set[str] = set()
    result = []
    for email in emails:
        key = email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            result.append(email.strip())
    return result


def build_calendar(event: CalendarEvent, *, stamp: datetime | None = None) -> bytes:
    """The ``.ics`` file for ``event``, as bytes (UTF-8, CRLF line endings).

    ``stamp`` (DTSTAMP) defaults to now; it is written in UTC.
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    attendees = [
        vCalAddress.new(email, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True)
        for email in _unique(event.attendee_emails)
    ]
    vevent = Event.new(
        uid=event.uid,
        sequence=event.sequence,
        stamp=stamp,
        start=event.start.astimezone(UTC),
        end=event.end.astimezone(UTC),
        summary=event.summary,
        # Empty text properties are left out rather than written empty.
        description=event.description or None,
        location=event.location or None,
        url=event.url or None,
        organizer=vCalAddress.new(event.organizer_email.strip()),
        attendees=attendees,
        status=STATUS.CANCELLED if event.cancelled else STATUS.CONFIRMED,
    )

    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = ics_method(event)
    calendar.add_component(vevent)
    return calendar.to_ical()
