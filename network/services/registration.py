"""Registering to a meeting: a seat while there is room, else the waitlist, in order.

Seats are decided under a lock on the MEETING row (``select_for_update``):
every registration, confirmation, cancellation and promotion of one meeting
waits for the one before, so two people taking the last seat at the same
moment cannot both get it: the first holds it, the second is waitlisted.
Every state change is a move of the REGISTRATION workflow.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from accounts.models import User
from core.workflow import transition
from network import mails, selectors
from network.enums import ACTIVE_STATES, RegistrationState
from network.models import Meeting, ProgrammeItem, Registration
from network.workflows import REGISTRATION

DUPLICATE_MESSAGE = (
    "Cette adresse e-mail est déjà inscrite à cette rencontre. Nous venons de renvoyer à "
    "cette adresse le lien de l'inscription : il permet de la consulter ou de l'annuler. "
    "Vous ne le trouvez pas ? Regardez dans les courriers indésirables."
)


class AlreadyRegistered(ValidationError):
    """The address holds a registration to this meeting already."""

    def __init__(self, registration: Registration):
        super().__init__({"email": DUPLICATE_MESSAGE}, code="duplicate")
        self.registration = registration


def _when(value) -> str:
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'j F Y')} à {local:%H} h {local:%M}"


def registration_refusal(meeting: Meeting, *, now=None) -> str | None:
    """Why nobody can register to this meeting now, in French; None when registration is open."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return "Cette rencontre est annulée : les inscriptions sont fermées."
    if not meeting.is_published:
        return "Cette rencontre n'est pas encore publiée : les inscriptions ne sont pas ouvertes."
    if meeting.starts_at <= now:
        return "Cette rencontre a déjà eu lieu : les inscriptions sont closes."
    if now < meeting.registration_opens_at:
        return f"Les inscriptions ouvriront le {_when(meeting.registration_opens_at)}."
    if now >= meeting.registration_closes_at:
        return (
            f"Les inscriptions sont closes depuis le {_when(meeting.registration_closes_at)}. "
            "Pour venir malgré tout, écrivez à la coordination du label."
        )
    return None


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _give_seat_or_waitlist(registration: Registration, meeting: Meeting, actor) -> Registration:
    """On the locked meeting: a seat while there is room, else the end of the waitlist."""
    move = "seat" if selectors.seats_left(meeting) > 0 else "waitlist"
    return transition(REGISTRATION, registration, move, actor=actor, internal=True)


def register(
    *,
    meeting: Meeting,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: str = "",
    dietary_needs: str = "",
    accessibility_needs: str = "",
    workshop: ProgrammeItem | None = None,
    submission_key: UUID | None = None,
) -> Registration:
    """Register a person to a meeting and return the registration.

    A signed-in person (``user``) registers with the name and address of the
    account, and gets a seat or a place on the waitlist at once. A visitor's
    registration waits for the link mailed to the address (``confirm_address``).
    An address already registered raises ``AlreadyRegistered``, and its owner
    gets the links again by mail; a cancelled registration is made again on the
    same row. The same form sent twice (a double click) returns the first row.
    """
    try:
        return _register(
            meeting=meeting,
            user=user,
            first_name=first_name,
            last_name=last_name,
            email=email,
            organisation=organisation,
            dietary_needs=dietary_needs,
            accessibility_needs=accessibility_needs,
            workshop=workshop,
            submission_key=submission_key,
        )
    except AlreadyRegistered as refused:
        # Outside the refused transaction: this mail must leave.
        mails.send_already_registered(refused.registration)
        raise


@transaction.atomic
def _register(
    *,
    meeting: Meeting,
    user: User | None,
    first_name: str,
    last_name: str,
    email: str,
    organisation: str,
    dietary_needs: str,
    accessibility_needs: str,
    workshop: ProgrammeItem | None,
    submission_key: UUID | None,
) -> Registration:
    meeting = _locked_meeting(meeting)
    if submission_key is not None:
        previous = Registration.objects.filter(submission_key=submission_key).first()
        if previous is not None:
            return previous
    if refusal := registration_refusal(meeting):
        raise ValidationError(refusal, code="closed")
    if user is not None:
        first_name, last_name, email = user.first_name, user.last_name, user.email
    email = User.objects.normalize_email(email.strip()).lower()
    if workshop is not None and not (workshop.meeting_id == meeting.pk and workshop.is_workshop):
        raise ValidationError({"workshop": "Choisissez un des ateliers de cette rencontre."})
    answers = {
        "user": user,
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "email": email,
        "organisation": organisation.strip(),
        "dietary_needs": dietary_needs.strip() if meeting.ask_dietary else "",
        "accessibility_needs": accessibility_needs.strip() if meeting.ask_accessibility else "",
        "workshop": workshop if meeting.ask_workshop else None,
        "submission_key": submission_key,
    }
    registration = meeting.registrations.filter(email__iexact=email).first()
    if registration is not None and registration.state != RegistrationState.CANCELLED:
        raise AlreadyRegistered(registration)
    if workshop is not None and meeting.ask_workshop:
        _require_workshop_place(workshop)
    if registration is None:
        registration = Registration(meeting=meeting, **answers)
        registration.full_clean()
        registration.save()
    else:
        for name, value in answers.items():
            setattr(registration, name, value)
        registration.full_clean()
        registration.save(update_fields=[*answers])
        registration = transition(
            REGISTRATION, registration, "register_again", actor=user, internal=True
        )
    if user is not None:
        # The account's address is confirmed already: the seat is decided now.
        return _give_seat_or_waitlist(registration, meeting, user)
    mails.send_address_confirmation(registration)
    return registration


def _require_workshop_place(workshop: ProgrammeItem) -> None:
    """On the locked meeting: a workshop with its own number of places takes no more."""
    if workshop.workshop_capacity is None:
        return
    taken = workshop.registrations.filter(state__in=ACTIVE_STATES).count()
    if taken >= workshop.workshop_capacity:
        raise ValidationError(
            {
                "workshop": (
                    f"L'atelier « {workshop.title} » est complet : choisissez-en un autre, "
                    "ou « Je choisirai sur place »."
                )
            },
            code="workshop_full",
        )


@transaction.atomic
def confirm_address(*, registration: Registration) -> Registration:
    """The visitor opened the link of the first mail: a seat, or the waitlist."""
    meeting = _locked_meeting(registration.meeting)
    registration.refresh_from_db()
    if registration.state != RegistrationState.REGISTERED:
        # Confirmed already (a second click on the link): nothing changes.
        return registration
    if refusal := registration_refusal(meeting):
        raise ValidationError(refusal, code="closed")
    return _give_seat_or_waitlist(registration, meeting, None)


@transaction.atomic
def cancel_registration(*, registration: Registration, actor: User | None) -> Registration:
    """Cancel a registration (its person, by the mailed link, or the coordination) and give
    the seat it frees to the first waitlisted person. ``actor`` None: by the mailed link."""
    meeting = _locked_meeting(registration.meeting)
    cancelled = transition(REGISTRATION, registration, "cancel", actor=actor)
    promote_waitlist(meeting)
    return cancelled


@transaction.atomic
def promote_waitlist(meeting: Meeting) -> list[Registration]:
    """Seat the waitlisted people in their order while seats are left; each gets a mail with
    the invitation. Called after a cancellation, and when the capacity is raised."""
    meeting = _locked_meeting(meeting)
    if meeting.is_cancelled or meeting.is_past:
        return []
    free = selectors.seats_left(meeting)
    promoted = []
    for waiting in selectors.waitlist(meeting)[:free]:
        promoted.append(transition(REGISTRATION, waiting, "seat", internal=True))
    return promoted
