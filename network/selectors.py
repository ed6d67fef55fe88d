"""What each person may read of the network stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.rules import is_coordinator
from laureates.selectors import public_laureates
from network.enums import SEATED_STATES, MeetingState, MemberKind, RegistrationState
from network.models import Meeting, NetworkMember, Registration

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


# --- Attendance ---------------------------------------------------------------------------


def seated_registrations(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The people with a seat, by last name then first name (the attendance sheet's order)."""
    return registrations.filter(state__in=SEATED_STATES).order_by(
        Lower("last_name"), Lower("first_name"), "pk"
    )


def checkin_list(
    user: User | AnonymousUser, meeting: Meeting, *, search: str = ""
) -> QuerySet[Registration]:
    """The check-in page's people: those with a seat, whose name or structure matches."""
    registrations = seated_registrations(registrations_visible_to(user, meeting))
    for word in search.split():
        registrations = registrations.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__icontains=word)
        )
    return registrations


def registration_by_code(
    user: User | AnonymousUser, meeting: Meeting, code: str
) -> Registration | None:
    """The registration under a check-in code, among those the person may see."""
    return registrations_visible_to(user, meeting).filter(checkin_code=code).first()


def attendance_counts(meeting: Meeting) -> dict[str, int]:
    """« présents / inscrits »: the people checked in, the people with a seat."""
    return meeting.registrations.aggregate(
        present=Count("pk", filter=Q(state=RegistrationState.ATTENDED)),
        seated=Count("pk", filter=Q(state__in=SEATED_STATES)),
    )
