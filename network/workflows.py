"""The network stage's lifecycles on the portal's one workflow engine (``core.workflow``).

A meeting is prepared (« En préparation »), published (its page and its
registration become public), and may be cancelled with a reason. A
registration waits for its e-mail address to be confirmed (visitors), then
takes a seat (« Inscrit·e ») or a place on the waitlist; a cancellation frees
its seat for the first waitlisted person; the check-in at the door marks it
« Présent·e ». Seats are given by network.services.registration, under a lock
on the meeting, through the internal transitions « seat » and « waitlist ».
"""

from django.urls import reverse
from django.utils import timezone

from accounts.rules import is_coordinator
from core.links import absolute_url
from core.mail import send_mail_on_commit
from core.workflow import Transition, TransitionRefused, Workflow
from network import mails
from network.enums import ACTIVE_STATES, SEATED_STATES, MeetingState, RegistrationState
from network.models import Meeting, NetworkMember, Registration, new_checkin_code

COORDINATOR = "coordinator"
REGISTRANT = "registrant"


class NetworkRefused(TransitionRefused):
    """A move of a meeting or a registration the rules do not allow."""


def _note_attendance(registration, actor, reason) -> list[str]:
    registration.attended_at = timezone.now()
    return ["attended_at"]


def _undo_attendance(registration, actor, reason) -> list[str]:
    registration.attended_at = None
    return ["attended_at"]


def meeting_roles(user, meeting) -> set[str]:
    return {COORDINATOR} if is_coordinator(user) else set()


def registration_roles(user, registration) -> set[str]:
    roles = set()
    if is_coordinator(user):
        roles.add(COORDINATOR)
    if user.is_authenticated and registration.user_id == user.pk:
        roles.add(REGISTRANT)
    return roles


def _published(meeting: Meeting, actor, reason: str) -> list[str]:
    meeting.published_at = timezone.now()
    return ["published_at"]


def _cancelled(meeting: Meeting, actor, reason: str) -> list[str]:
    # Shown on the meeting's page; the event log keeps it too.
    meeting.cancel_reason = reason
    return ["cancel_reason"]


def _tell_registrants_cancelled(meeting: Meeting, actor, event) -> None:
    """One mail per person still registered (their address is theirs alone), with the reason."""
    registrations = meeting.registrations.filter(state__in=ACTIVE_STATES).order_by("pk")
    for registration in registrations:
        send_mail_on_commit(
            template="network/meetings/email/meeting_cancelled",
            to=[registration.email],
            context={
                "meeting": meeting,
                "registration": registration,
                "reason": event.reason,
                "url": absolute_url(reverse("network:archive")),
            },
        )


# A member's profile has no states: its edits, (de)activations and additions are written to
# the event log with core.workflow.record() under this name.
MEMBER = Workflow(name="network-member", model=NetworkMember, transitions=[], state_field="")


MEETING = Workflow(
    name="network-meeting",
    model=Meeting,
    roles_of=meeting_roles,
    refused=NetworkRefused,
    state_refusal="Impossible : la rencontre est « %(state)s ».",
    transitions=[
        Transition(
            "publish",
            "Publier la rencontre",
            sources={MeetingState.DRAFT},
            target=MeetingState.PUBLISHED,
            actors={COORDINATOR},
            confirm=(
                "La page de la rencontre devient publique et les inscriptions s'ouvrent aux "
                "dates prévues."
            ),
            check=_published,
            success="Rencontre publiée.",
            refused_actor="Seule la coordination publie la rencontre.",
        ),
        Transition(
            "cancel",
            "Annuler la rencontre",
            sources={MeetingState.DRAFT, MeetingState.PUBLISHED},
            target=MeetingState.CANCELLED,
            actors={COORDINATOR},
            needs_reason=True,
            button="danger",
            confirm=(
                "La rencontre est annulée : sa page le dit, les inscriptions ferment et "
                "chaque inscrit·e reçoit un mail avec le motif."
            ),
            check=_cancelled,
            notify=_tell_registrants_cancelled,
            success="Rencontre annulée.",
            refused_actor="Seule la coordination annule la rencontre.",
        ),
    ],
)


def _stamp_confirmed(registration: Registration, actor, reason: str) -> list[str]:
    # Seated or waitlisted: the address is confirmed by now (a signed-in person's at once).
    if registration.confirmed_at is None:
        registration.confirmed_at = timezone.now()
        return ["confirmed_at"]
    return []


def _stamp_waitlisted(registration: Registration, actor, reason: str) -> list[str]:
    # The waitlist's order: the moment the person joined it.
    registration.waitlisted_at = timezone.now()
    return ["waitlisted_at", *_stamp_confirmed(registration, actor, reason)]


def _stamp_cancelled(registration: Registration, actor, reason: str) -> list[str]:
    registration.cancelled_at = timezone.now()
    return ["cancelled_at"]


def _start_again(registration: Registration, actor, reason: str) -> list[str]:
    """A new registration on the row of a cancelled one: its dates start again, and a new
    check-in code voids the links mailed for the old one (network.tokens)."""
    registration.confirmed_at = None
    registration.waitlisted_at = None
    registration.cancelled_at = None
    registration.checkin_code = new_checkin_code()
    return ["confirmed_at", "waitlisted_at", "cancelled_at", "checkin_code"]


def _notify_seat(registration: Registration, actor, event) -> None:
    mails.send_seat(registration, promoted=event.from_state == RegistrationState.WAITLISTED)


def _notify_waitlisted(registration: Registration, actor, event) -> None:
    mails.send_waitlisted(registration)


def _notify_cancelled(registration: Registration, actor, event) -> None:
    by_coordination = actor is not None and registration.user_id != actor.pk
    mails.send_cancelled(
        registration,
        by_coordination=by_coordination,
        had_seat=event.from_state in SEATED_STATES,
    )


REGISTRATION = Workflow(
    name="network-registration",
    model=Registration,
    roles_of=registration_roles,
    refused=NetworkRefused,
    state_refusal="Impossible : l'inscription est « %(state)s ».",
    transitions=[
        Transition(
            "seat",
            "Donner une place",
            sources={RegistrationState.REGISTERED, RegistrationState.WAITLISTED},
            target=RegistrationState.CONFIRMED,
            internal=True,
            check=_stamp_confirmed,
            notify=_notify_seat,
            success="Inscription confirmée.",
        ),
        Transition(
            "waitlist",
            "Mettre en liste d'attente",
            sources={RegistrationState.REGISTERED},
            target=RegistrationState.WAITLISTED,
            internal=True,
            check=_stamp_waitlisted,
            notify=_notify_waitlisted,
            success="La rencontre est complète : vous êtes sur la liste d'attente.",
        ),
        Transition(
            "attend",
            "Noter la présence",
            sources={RegistrationState.CONFIRMED},
            target=RegistrationState.ATTENDED,
            actors={COORDINATOR},
            check=_note_attendance,
            success="Présence notée.",
            refused_state="Seule une personne inscrite (avec une place) peut être émargée.",
            refused_actor="Seule la coordination note les présences.",
        ),
        Transition(
            "unattend",
            "Annuler l'émargement",
            sources={RegistrationState.ATTENDED},
            target=RegistrationState.CONFIRMED,
            actors={COORDINATOR},
            check=_undo_attendance,
            button="secondary",
            success="Émargement annulé.",
            refused_actor="Seule la coordination note les présences.",
        ),
        Transition(
            "cancel",
            "Annuler l'inscription",
            sources={
                RegistrationState.REGISTERED,
                RegistrationState.WAITLISTED,
                RegistrationState.CONFIRMED,
            },
            target=RegistrationState.CANCELLED,
            actors={COORDINATOR, REGISTRANT},
            check=_stamp_cancelled,
            notify=_notify_cancelled,
            button="danger",
            confirm="Votre place est libérée pour une personne de la liste d'attente.",
            success="Inscription annulée.",
            refused_state="Cette inscription ne peut plus être annulée.",
        ),
        Transition(
            "register_again",
            "S'inscrire de nouveau",
            sources={RegistrationState.CANCELLED},
            target=RegistrationState.REGISTERED,
            internal=True,
            check=_start_again,
        ),
    ],
)
