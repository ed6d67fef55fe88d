"""Reads about projects, always through the person who asks."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import Association, Membership, User
from accounts.rules import is_coordinator, is_officer, signed_in
from core.models import Event
from submissions.enums import EditionState, ProjectState, Visibility
from submissions.models import (
    Attachment,
    CoachingEntry,
    DepositSnapshot,
    Edition,
    Message,
    Project,
    ProjectChange,
    ThreadRead,
)

# Before any message of the portal: the thread of someone who never opened it.
NEVER_READ = Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Return the projects a person may see.

    Members see their associations' projects; a chef de projet sees the
    projects of the territory once proposed; coordinators see every proposed
    project.
    """
    queryset = Project.objects.select_related("association", "commune", "city_contract", "edition")
    if not signed_in(user):
        return queryset.none()
    condition = Q(association__in=Association.objects.filter(memberships__user=user).values("pk"))
    if is_coordinator(user):
        # Drafts stay private to their association until proposed.
        return queryset.filter(condition | ~Q(state=ProjectState.DRAFT))
    if is_officer(user):
        condition |= Q(city_contract_id=user.officer_contract_id) & ~Q(state=ProjectState.DRAFT)
    return queryset.filter(condition)


def projects_of_member(user: User) -> QuerySet[Project]:
    return (
        Project.objects.filter(
            association__in=Membership.objects.filter(user=user).values("association")
        )
        .select_related("association", "commune", "edition")
        .order_by("-updated_at")
    )


def inbox_covers_all(user: User) -> bool:
    """Whether the person's inbox holds every proposed project (coordinators), not a territory's."""
    return bool(is_coordinator(user))


def inbox_for(user: User) -> QuerySet[Project]:
    """Return the projects a coach follows: the territory's, or all for coordinators."""
    queryset = projects_visible_to(user).exclude(state=ProjectState.DRAFT)
    if not inbox_covers_all(user):
        queryset = queryset.filter(city_contract_id=user.officer_contract_id)
    return with_unread_flag(queryset, user)


def with_unread_flag(queryset: QuerySet[Project], user: User) -> QuerySet[Project]:
    """Annotate ``unread``: a message from someone else since the person last read."""
    last_read = ThreadRead.objects.filter(project=OuterRef("pk"), user=user).values("read_at")[:1]
    unread = (
        Message.objects.filter(project=OuterRef("pk"))
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(OuterRef("last_read"), NEVER_READ))
    )
    return queryset.annotate(last_read=Subquery(last_read)).annotate(unread=Exists(unread))


def unassigned_projects() -> QuerySet[Project]:
    """Proposed projects of communes outside any contrat de ville (coordinators' queue)."""
    return Project.objects.filter(city_contract__isnull=True).exclude(
        state__in=[ProjectState.DRAFT, ProjectState.WITHDRAWN]
    )


def state_counts(queryset: QuerySet[Project]) -> dict[str, int]:
    rows = queryset.order_by().values("state").annotate(total=Count("pk"))
    return {row["state"]: row["total"] for row in rows}


def coaching_entries_for(project: Project, *, coach: bool) -> QuerySet[CoachingEntry]:
    entries = project.coaching_entries.select_related("author")
    if not coach:
        entries = entries.filter(visibility=Visibility.SHARED)
    return entries


def project_messages(project: Project) -> QuerySet[Message]:
    return project.messages.select_related("author")


def project_events(project: Project) -> list[Event]:
    """The project's history, oldest first, each entry with its states' labels."""
    labels = dict(ProjectState.choices)
    events = list(Event.objects.for_object(project).select_related("actor"))
    for event in events:
        event.from_label = labels.get(event.from_state, event.from_state)
        event.to_label = labels.get(event.to_state, event.to_state)
    return events


def project_detail_queryset(user: User) -> QuerySet[Project]:
    return projects_visible_to(user).prefetch_related(
        "qpvs", Prefetch("budget_lines"), "association__memberships"
    )


def open_edition() -> Edition | None:
    return Edition.objects.filter(state=EditionState.OPEN).first()


def editions_visible_to(user: User) -> QuerySet[Edition]:
    """Editions are managed by coordinators only."""
    if not is_coordinator(user):
        return Edition.objects.none()
    return Edition.objects.annotate(
        project_count=Count("projects", distinct=True),
    ).order_by("-year")


def project_attachments(project: Project) -> QuerySet[Attachment]:
    """The files of a project the caller already may see."""
    return project.attachments.select_related("uploaded_by")


def snapshots_of(project: Project) -> QuerySet[DepositSnapshot]:
    return DepositSnapshot.objects.filter(project=project).select_related("edition", "deposited_by")


def project_changes(project: Project) -> QuerySet[ProjectChange]:
    """The latest saves of the dossier, each with its author."""
    return project.changes.select_related("author")[:15]


def coordination_counts() -> dict[str, int]:
    """What waits for the coordinators: projects to route, dossiers to review, to shortlist."""
    waiting = [ProjectState.PROPOSED, ProjectState.DEPOSITED, ProjectState.ELIGIBLE]
    # One query: the three counts read the rows of the three states once (index on state).
    return Project.objects.filter(state__in=waiting).aggregate(
        # unassigned_projects() in the proposed state: outside any contrat de ville.
        unassigned=Count("pk", filter=Q(state=ProjectState.PROPOSED, city_contract__isnull=True)),
        deposited=Count("pk", filter=Q(state=ProjectState.DEPOSITED)),
        eligible=Count("pk", filter=Q(state=ProjectState.ELIGIBLE)),
    )
