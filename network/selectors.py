"""What each person may read of the network stage: every view reads through these."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts.models import Commune
from accounts.rules import is_coordinator
from core.permissions import allowed
from laureates.selectors import public_laureates
from network.enums import (
    ACTIVE_STATES,
    SEATED_STATES,
    Audience,
    MeetingState,
    MemberKind,
    RegistrationState,
)
from network.models import Meeting, NetworkMember, ProgrammeItem, Registration
from submissions.enums import Theme

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


def audiences_for(user: User | AnonymousUser) -> frozenset[str]:
    """The audiences whose pieces a person reads: the public's, and the members' for a
    signed-in member of the network (rules.is_network_insider)."""
    if allowed(user, "network.view_shared_contacts"):
        return frozenset({Audience.PUBLIC, Audience.MEMBERS})
    return frozenset({Audience.PUBLIC})


def directory_members(audiences: frozenset[str]) -> QuerySet[NetworkMember]:
    """The members the directory lists for these audiences: the public ones, and for the
    network's own members also the members who chose not to be listed publicly."""
    if Audience.MEMBERS not in audiences:
        return public_members()
    has_public_card = Exists(public_laureates().filter(network_members=OuterRef("pk")))
    return NetworkMember.objects.filter(is_active=True).filter(
        ~Q(kind=MemberKind.LAUREATE) | Q(has_public_card)
    )


def members_visible_to(user: User | AnonymousUser) -> QuerySet[NetworkMember]:
    """The members a person may open: every member for the coordination, else those of the
    directory they read and, for a member association's people, their own profile."""
    if is_coordinator(user):
        return NetworkMember.objects.all()
    visible = directory_members(audiences_for(user))
    if user.is_authenticated and user.is_active:
        own = NetworkMember.objects.filter(association__memberships__user=user)
        return NetworkMember.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=own))
    return visible


def with_profile(members: QuerySet[NetworkMember]) -> QuerySet[NetworkMember]:
    """What a card shows, fetched at once: the seat commune, the communes where the member
    acts and its public laureate projects (``public_projects``), whatever the number of rows."""
    return members.select_related("commune").prefetch_related(
        Prefetch("communes", queryset=Commune.objects.order_by("name")),
        Prefetch(
            "laureates",
            queryset=public_laureates().order_by("-year", "title", "pk"),
            to_attr="public_projects",
        ),
    )


def member_counts_by_commune(
    members: QuerySet[NetworkMember], audiences: frozenset[str]
) -> dict[str, int]:
    """Map each commune's INSEE code to the number of ``members`` that act there, among those
    whose place these audiences may read (the seat commune and the communes of action)."""
    placed = members.filter(place_audience__in=audiences).order_by()
    pairs = set(placed.filter(commune__isnull=False).values_list("pk", "commune__insee"))
    pairs |= set(placed.filter(communes__isnull=False).values_list("pk", "communes__insee"))
    return dict(Counter(insee for _pk, insee in pairs))


@dataclass(frozen=True)
class Piece:
    """One piece of a profile as a reader sees it; ``members_only`` when the member shares it
    with the network's members only (the page says so)."""

    value: Any
    members_only: bool


@dataclass(frozen=True)
class Profile:
    """A member as one reader may see it: a piece the member hides from them is None."""

    member: NetworkMember
    description: Piece | None
    place: Piece | None
    themes: Piece | None
    website: Piece | None
    contact: Piece | None
    projects: Piece | None


def _piece(audience: str, audiences: frozenset[str], value) -> Piece | None:
    if audience not in audiences or not value:
        return None
    return Piece(value=value, members_only=audience == Audience.MEMBERS)


def profile_for(member: NetworkMember, audiences: frozenset[str]) -> Profile:
    """The pieces of ``member`` (read through with_profile) these audiences may read."""
    labels = dict(Theme.choices)
    communes = list(member.communes.all())
    if member.commune and member.commune not in communes:
        communes.insert(0, member.commune)
    contact = {
        name: value
        for name, value in (
            ("name", member.contact_name),
            ("email", member.contact_email),
            ("phone", member.contact_phone),
        )
        if value
    }
    projects = getattr(member, "public_projects", None)
    if projects is None:
        projects = list(public_laureates().filter(network_members=member).order_by("-year"))
    return Profile(
        member=member,
        description=_piece(member.description_audience, audiences, member.description),
        place=_piece(member.place_audience, audiences, communes),
        themes=_piece(member.themes_audience, audiences, [labels.get(t, t) for t in member.themes]),
        website=_piece(member.website_audience, audiences, member.website),
        contact=_piece(member.contact_audience, audiences, contact),
        projects=_piece(member.projects_audience, audiences, projects),
    )


def members_for_coordination() -> QuerySet[NetworkMember]:
    """Every member, active or not, with what the coordination's list shows."""
    return (
        NetworkMember.objects.select_related("association", "commune")
        .annotate(project_count=Count("laureates", distinct=True))
        .order_by(Lower("name"), "pk")
    )


def own_profiles(user: User) -> QuerySet[NetworkMember]:
    """The network profiles of the associations a person is a member of."""
    if not (user.is_authenticated and user.is_active):
        return NetworkMember.objects.none()
    return (
        NetworkMember.objects.filter(
            pk__in=NetworkMember.objects.filter(association__memberships__user=user).values("pk")
        )
        .select_related("commune")
        .order_by(Lower("name"), "pk")
    )


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


# --- Attendance ---------------------------------------------------------------------------


def seated_registrations(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """The people with a seat, by last name then first name (the attendance sheet's order)."""
    return registrations.filter(state__in=SEATED_STATES).order_by(
        Lower("last_name"), Lower("first_name"), "pk"
    )


def waitlist_of(user: User | AnonymousUser, meeting: Meeting) -> QuerySet[Registration]:
    """The waitlist in its order, each with its position, among what the person may read."""
    return with_waitlist_position(waitlist(meeting) & registrations_visible_to(user, meeting))


def registration_needs(user: User | AnonymousUser, meeting: Meeting) -> QuerySet[Registration]:
    """The active registrations that stated a dietary or an accessibility need."""
    return (
        registrations_visible_to(user, meeting)
        .filter(state__in=ACTIVE_STATES)
        .filter(has_needs())
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


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
    return (
        with_waitlist_position(Registration.objects.filter(pk=registration.pk))
        .values_list("waitlist_position", flat=True)
        .get()
    )


def meeting_programme(meeting: Meeting) -> list[ProgrammeItem]:
    return list(meeting.programme.order_by("starts_at", "pk"))


def workshops_of(meeting: Meeting) -> QuerySet[ProgrammeItem]:
    """The workshops to choose from, each with ``taken``: the live registrations that chose it."""
    return (
        meeting.programme.filter(is_workshop=True)
        .annotate(taken=Count("registrations", filter=Q(registrations__state__in=ACTIVE_STATES)))
        .order_by("starts_at", "pk")
    )
