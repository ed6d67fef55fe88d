"""The mails of a registration: confirm the address, a seat (with its .ics and QR code),
the waitlist, a promotion from it, a cancellation.

Templates are pairs in ``templates/network/email/``. The mails caused by the
public form (the confirmation link, « déjà inscrite ») leave from a background
task, so the page answers as fast whatever the address; the others follow a
state change (``network.workflows`` notifications, after the commit).
"""

from django.urls import reverse

from core import ratelimit
from core.ics import (
    CalendarEvent,
    build_calendar,
    event_uid,
    ics_content_type,
    organizer_email,
    site_domain,
)
from core.links import absolute_url
from core.mail import send_mail_in_background, send_mail_on_commit
from core.models import Event
from core.ratelimit import Limit, LimitReached
from network import qr, selectors
from network.enums import RegistrationState
from network.models import Registration
from network.tokens import CANCEL, CONFIRM, VIEW, registration_token


def registration_url(registration: Registration, name: str = "network:registration") -> str:
    """The absolute address of one of a registration's pages (signed with its action's salt)."""
    action = {"network:registration_confirm": CONFIRM, "network:registration_cancel": CANCEL}.get(
        name, VIEW
    )
    return absolute_url(reverse(name, args=[registration_token(registration, action)]))


def meeting_event(registration: Registration, *, cancelled: bool = False) -> CalendarEvent:
    """The meeting as a calendar entry of this person: one UID per registration.

    The SEQUENCE is the number of moves the registration made: each new sending
    (a seat, a cancellation, a new registration) outranks the one before it.
    """
    meeting = registration.meeting
    page = absolute_url(meeting)
    lines = [
        meeting.intro,
        f"Code d'émargement à présenter à l'accueil : {registration.checkin_code}",
        f"Programme et accès : {page}",
        f"Votre inscription (annulation) : {registration_url(registration)}",
    ]
    return CalendarEvent(
        uid=event_uid("network-registration", registration.pk, site_domain()),
        sequence=Event.objects.for_object(registration).count(),
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=f"{meeting.title} — réseau du Label Actions Innovantes",
        description="\n\n".join(line for line in lines if line),
        location=f"{meeting.place_name}, {meeting.address}",
        url=page,
        organizer_email=organizer_email(),
        attendee_emails=(registration.email,),
        cancelled=cancelled,
    )


def ics_file(registration: Registration, *, cancelled: bool = False) -> tuple[str, bytes, str]:
    event = meeting_event(registration, cancelled=cancelled)
    return ("rencontre.ics", build_calendar(event), ics_content_type(event))


def qr_file(registration: Registration) -> tuple[str, bytes, str]:
    return ("code-qr-emargement.png", qr.qr_png(registration), "image/png")


def _context(registration: Registration, **extra) -> dict:
    return {
        "registration": registration,
        "meeting": registration.meeting,
        "meeting_url": absolute_url(registration.meeting),
        "registration_url": registration_url(registration),
        "cancel_url": registration_url(registration, "network:registration_cancel"),
        **extra,
    }


def send_address_confirmation(registration: Registration) -> None:
    """The first mail of a visitor: the link that confirms the address and asks for a seat."""
    send_mail_in_background(
        template="network/email/address_confirm",
        to=[registration.email],
        context=_context(
            registration,
            confirm_url=registration_url(registration, "network:registration_confirm"),
        ),
    )


def send_already_registered(registration: Registration) -> None:
    """Someone typed an address already registered: its owner gets the links again.

    Once per address per window (RATE_LIMITS « meeting_registration_address »),
    so that nobody can flood an inbox from the form.
    """
    try:
        ratelimit.count(Limit("meeting_registration_address", registration.email))
    except LimitReached:
        return
    confirm_url = ""
    if registration.state == RegistrationState.REGISTERED:
        confirm_url = registration_url(registration, "network:registration_confirm")
    send_mail_in_background(
        template="network/email/already_registered",
        to=[registration.email],
        context=_context(registration, confirm_url=confirm_url),
    )


def send_seat(registration: Registration, *, promoted: bool) -> None:
    """A seat is given: the invitation (.ics), the QR code and the check-in code."""
    send_mail_on_commit(
        template="network/email/seat",
        to=[registration.email],
        context=_context(registration, promoted=promoted),
        attachments=[ics_file(registration), qr_file(registration)],
    )


def send_waitlisted(registration: Registration) -> None:
    send_mail_on_commit(
        template="network/email/waitlisted",
        to=[registration.email],
        context=_context(registration, position=selectors.waitlist_position(registration)),
    )


def send_cancelled(registration: Registration, *, by_coordination: bool, had_seat: bool) -> None:
    """The cancellation acknowledged; a seat's calendar entry is withdrawn (METHOD:CANCEL)."""
    send_mail_on_commit(
        template="network/email/cancelled",
        to=[registration.email],
        context=_context(registration, by_coordination=by_coordination, had_seat=had_seat),
        attachments=[ics_file(registration, cancelled=True)] if had_seat else [],
    )
