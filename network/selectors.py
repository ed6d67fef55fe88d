"""What each person may read of the network stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Lower
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


# --- The meetings' coordination -----------------------------------------------------------


def meetings_with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Each meeting with its seats given, waitlist, addresses to confirm and attendance."""
    return meetings.select_related("commune").annotate(
        seats_taken=Count("registrations", filter=Q(registrations__state__in=SEATED_STATES)),
        waitlist_count=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.WAITLISTED)
        ),
        pending_count=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)
        ),
        cancelled_count=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.CANCELLED)
        ),
        attended_count=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.ATTENDED)
        ),
    )


def archive_meetings() -> tuple[Meeting | None, list[Meeting]]:
    """The upcoming meeting and the meetings held, most recent first, with their programme."""
    upcoming = upcoming_meeting()
    if upcoming is not None:
        upcoming = (
            public_meetings()
            .select_related("commune")
            .prefetch_related("programme")
            .get(pk=upcoming.pk)
        )
    past = list(
        past_meetings()
        .select_related("commune")
        .prefetch_related("programme")
        .order_by("-starts_at")
    )
    return upcoming, past


def with_waitlist_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waitlist_position`` (1 for the first waitlisted person; None off the list)."""
    waiting = RegistrationState.WAITLISTED
    ahead = (
        Registration.objects.filter(meeting=OuterRef("meeting"), state=waiting)
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return registrations.annotate(
        waitlist_position=Case(
            When(state=waiting, then=Coalesce(Subquery(ahead), 0) + 1),
            default=None,
            output_field=IntegerField(),
        )
    )


def has_needs() -> Q:
    return ~Q(dietary_needs="") | ~Q(accessibility_needs="")


def meeting_registrations(
    user: User | AnonymousUser,
    meeting: Meeting,
    *,
    state: str = "",
    needs_only: bool = False,
    workshop: ProgrammeItem | None = None,
) -> QuerySet[Registration]:
    """The registrations of a meeting the person may read, filtered, sorted by name."""
    registrations = registrations_visible_to(user, meeting).select_related("workshop")
    if state:
        registrations = registrations.filter(state=state)
    if needs_only:
        registrations = registrations.filter(has_needs())
    if workshop is not None:
        registrations = registrations.filter(workshop=workshop)
    return with_waitlist_position(registrations).order_by(
        Lower("last_name"), Lower("first_name"), "pk"
    )


def waitlist_of(user: User | AnonymousUser, meeting: Meeting) -> QuerySet[Registration]:
    """The waitlist in its order: first come, first promoted."""
    return with_waitlist_position(
        registrations_visible_to(user, meeting).filter(state=RegistrationState.WAITLISTED)
    ).order_by("waitlisted_at", "pk")


def registration_needs(user: User | AnonymousUser, meeting: Meeting) -> QuerySet[Registration]:
    """The active registrations that stated a dietary or an accessibility need."""
    return (
        registrations_visible_to(user, meeting)
        .filter(state__in=ACTIVE_STATES)
        .filter(has_needs())
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def workshop_counts(meeting: Meeting) -> QuerySet[ProgrammeItem]:
    """The meeting's workshops, each with the number of active registrations that chose it."""
    return meeting.programme.filter(is_workshop=True).annotate(
        chosen=Count("registrations", filter=Q(registrations__state__in=ACTIVE_STATES))
    )
