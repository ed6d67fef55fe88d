"""Seats and the waitlist (the registration engineer's module: this minimal version gives the
meetings' pages what they call; the complete one replaces it)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.workflow import transition
from network.enums import SEATED_STATES, MeetingState, RegistrationState
from network.models import Meeting, Registration
from network.workflows import REGISTRATION


@transaction.atomic
def promote_waitlist(meeting: Meeting) -> list[Registration]:
    """Seat the first waitlisted people, in their order, while the meeting has seats left."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.state != MeetingState.PUBLISHED:
        return []
    seated = locked.registrations.filter(state__in=SEATED_STATES).count()
    free = max(0, locked.capacity - seated)
    waiting = locked.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )[:free]
    return [
        transition(REGISTRATION, registration, "seat", internal=True)
        for registration in list(waiting)
    ]


@transaction.atomic
def cancel_registration(*, registration: Registration, actor: User | None) -> Registration:
    """Cancel a registration; the seat it held goes to the first waitlisted person."""
    if registration.pk is None:
        raise ValidationError("Cette inscription n'existe pas.")
    cancelled = transition(REGISTRATION, registration, "cancel", actor=actor)
    promote_waitlist(cancelled.meeting)
    return cancelled
