"""What each person may read of the network stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.rules import is_coordinator
from laureates.selectors import public_laureates
from network.enums import (
    ACTIVE_STATES,
    SEATED_STATES,
    MeetingState,
    MemberKind,
    RegistrationState,
)
from network.models import Meeting, NetworkMember, ProgrammeItem, Registration

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


# --- The directory -------------------------------------------------------------------------


def public_members() -> QuerySet[NetworkMember]:
    """The members the public directory lists.

    Active and listed; a laureate association only once one of its laureate
    cards is public, so that the directory never tells a result the showcase
    has not published yet.
    """
    has_public_card = Exists(public_laureates().filter(network_members=OuterRef("pk")))
    return NetworkMember.objects.filter(is_active=True, listed=True).filter(
        ~Q(kind=MemberKind.LAUREATE) | Q(has_public_card)
    )


def members_visible_to(user: User | AnonymousUser) -> QuerySet[NetworkMember]:
    """The members a person may open: every member for the coordination, else the public ones
    and, for a member association's people, their own profile (even unlisted)."""
    if is_coordinator(user):
        return NetworkMember.objects.all()
    visible = public_members()
    if user.is_authenticated and user.is_active:
        own = NetworkMember.objects.filter(association__memberships__user=user)
        return (visible | own).distinct()
    return visible


def members_editable_by(user: User) -> QuerySet[NetworkMember]:
    """The profiles a person edits: all for the coordination, else their associations'."""
    if is_coordinator(user):
        return NetworkMember.objects.all()
    if not (user.is_authenticated and user.is_active):
        return NetworkMember.objects.none()
    return NetworkMember.objects.filter(association__memberships__user=user)


# --- The annual meeting -------------------------------------------------------------------


def public_meetings() -> QuerySet[Meeting]:
    """The meetings the public sees: announced ones, and cancelled ones (their page says so)."""
    return Meeting.objects.filter(state__in=[MeetingState.PUBLISHED, MeetingState.CANCELLED])


def meetings_visible_to(user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The coordination also sees the meetings in preparation."""
    if is_coordinator(user):
        return Meeting.objects.all()
    return public_meetings()


def upcoming_meeting() -> Meeting | None:
    """The next published meeting that has not ended, for /reseau/ and the home page."""
    return (
        Meeting.objects.filter(state=MeetingState.PUBLISHED, ends_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


def past_meetings() -> QuerySet[Meeting]:
    """Meetings held: they stay visible with their programme."""
    return Meeting.objects.filter(state=MeetingState.PUBLISHED, ends_at__lte=timezone.now())


def registrations_visible_to(
    user: User | AnonymousUser, meeting: Meeting
) -> QuerySet[Registration]:
    """Other people's registrations are the coordination's only; each person sees their own."""
    if is_coordinator(user):
        return meeting.registrations.all()
    if not user.is_authenticated:
        return Registration.objects.none()
    return meeting.registrations.filter(user_id=user.pk)


# --- Registration --------------------------------------------------------------------------


def registrations_of(user: User | AnonymousUser) -> QuerySet[Registration]:
    """A signed-in person's own registrations (by account or by its address), latest first."""
    if not (user.is_authenticated and user.is_active):
        return Registration.objects.none()
    return (
        Registration.objects.filter(Q(user_id=user.pk) | Q(email__iexact=user.email))
        .select_related("meeting")
        .order_by("-meeting__starts_at", "pk")
    )


def registration_for(user: User | AnonymousUser, meeting: Meeting) -> Registration | None:
    """The signed-in person's registration to this meeting, if any."""
    return registrations_of(user).filter(meeting=meeting).first()


def seats_left(meeting: Meeting) -> int:
    """The seats not given yet (never below zero: a capacity lowered keeps the seats given)."""
    taken = meeting.registrations.filter(state__in=SEATED_STATES).count()
    return max(meeting.capacity - taken, 0)


def waitlist(meeting: Meeting) -> QuerySet[Registration]:
    """The waitlist in its order: first come, first promoted."""
    return meeting.registrations.filter(state=RegistrationState.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )


def waitlist_position(registration: Registration) -> int | None:
    """« n° 3 sur la liste d'attente »: the place of a waitlisted registration, else None."""
    if registration.state != RegistrationState.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        meeting_id=registration.meeting_id, state=RegistrationState.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def meeting_programme(meeting: Meeting) -> list[ProgrammeItem]:
    return list(meeting.programme.order_by("starts_at", "pk"))


def workshops_of(meeting: Meeting) -> QuerySet[ProgrammeItem]:
    """The workshops to choose from, each with ``taken``: the live registrations that chose it."""
    return (
        meeting.programme.filter(is_workshop=True)
        .annotate(taken=Count("registrations", filter=Q(registrations__state__in=ACTIVE_STATES)))
        .order_by("starts_at", "pk")
    )
