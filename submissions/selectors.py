"""Reads about projects, always through the person who asks."""

import datetime
from functools import cache, cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import Membership, User
from accounts.rules import is_coordinator, is_officer, signed_in
from core.compiled import CompiledQuery
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
from submissions.sections import budget_totals, missing_for_proposal, progress

# Before any message of the portal: the thread of someone who never opened it.
NEVER_READ = Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))

# The version of the project page's cached fragments: submissions/apps.py makes every model
# they show bump it.
PAGE_VERSION = "project-page"
# The thread on the project page, a page at a time: the latest messages first.
MESSAGES_PER_PAGE = 20


def visibility(user: User) -> Q | None:
    """The condition on the projects a person may see; None when they may see none."""
    if not signed_in(user):
        return None
    condition = Q(association_id__in=Membership.objects.filter(user=user).values("association_id"))
    if is_coordinator(user):
        # Drafts stay private to their association until proposed.
        return condition | ~Q(state=ProjectState.DRAFT)
    if is_officer(user):
        condition |= Q(city_contract_id=user.officer_contract_id) & ~Q(state=ProjectState.DRAFT)
    return condition


def projects_visible_to(user: User) -> QuerySet[Project]:
    """Return the projects a person may see.

    Members see their associations' projects; a chef de projet sees the
    projects of the territory once proposed; coordinators see every proposed
    project.
    """
    queryset = Project.objects.select_related("association", "commune", "city_contract", "edition")
    condition = visibility(user)
    return queryset.none() if condition is None else queryset.filter(condition)


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


def member_ids() -> ArraySubquery:
    """Who belongs to the project's association, to annotate as ``member_user_ids``.

    Every role check of a page (view, edit, coach, each move offered) reads it
    (submissions.workflows.actor_roles) instead of the memberships.
    """
    members = Membership.objects.filter(association_id=OuterRef("association_id"))
    return ArraySubquery(members.values("user_id"))


def project_detail_queryset(user: User) -> QuerySet[Project]:
    """The projects of the pages that edit the dossier: sections and budget read at once."""
    return (
        projects_visible_to(user)
        .annotate(member_user_ids=member_ids())
        .prefetch_related("qpvs", Prefetch("budget_lines"))
    )


def project_page_queryset(user: User) -> QuerySet[Project]:
    """The projects of the project page, as little of each as its role checks need.

    What the page shows is read by ``ProjectPage.dossier``, only when the page is
    rendered again rather than taken from the cache.
    """
    condition = visibility(user)
    if condition is None:
        return Project.objects.none()
    return (
        Project.objects.only("title", "state", "association", "city_contract")
        .annotate(member_user_ids=member_ids())
        .filter(condition)
    )


@cache
def _page_project_query(*, coordinator: bool, officer: bool) -> CompiledQuery:
    """The project page's read of its project for one shape of roles, compiled once."""

    def build(pk: int, person: int, contract: int) -> QuerySet[Project]:
        # Who stands for the person: the roles that shape the condition, and marked ids.
        stand_in = User(
            pk=person,
            is_active=True,
            is_coordinator=coordinator,
            officer_contract_id=contract if officer else None,
        )
        return project_page_queryset(stand_in).filter(pk=pk)

    return CompiledQuery(build)


def project_for_page(user: User, pk: int) -> Project | None:
    """The project of the project page, if the person may see it (``project_page_queryset``).

    It runs on every visit of the page: compiled once, as the person's own query is.
    """
    if not signed_in(user):
        return None
    query = _page_project_query(coordinator=is_coordinator(user), officer=is_officer(user))
    found = query.rows(pk=pk, person=user.pk, contract=user.officer_contract_id)
    return found[0] if found else None


class ProjectPage:
    """What the project page shows of a project, each part read when the page first uses it.

    The parts are shown inside the page's cached fragments (PAGE_VERSION): a page
    whose fragments come from the cache reads none of them.
    """

    def __init__(
        self,
        project: Project,
        *,
        coach: bool,
        messages_page: str | None = None,
    ):
        self.project = project
        self.coach = coach
        # A number, whatever the address says: it is part of the thread fragment's key.
        number = messages_page or ""
        self.messages_page = int(number) if number.isdigit() else 1

    def thread_shown(self) -> None:
        """Called when the thread is read to be shown: the view's page marks it read."""

    @cached_property
    def dossier(self) -> Project:
        """The whole project, its QPVs and budget lines, read once for every part that shows them.

        Its visibility was checked when the page read the project.
        """
        return (
            Project.objects.select_related("association", "commune", "city_contract", "edition")
            .prefetch_related("qpvs", "budget_lines")
            # The members too, for the role checks of what the parts show.
            .annotate(member_user_ids=member_ids())
            .get(pk=self.project.pk)
        )

    @cached_property
    def progress(self) -> list[dict]:
        return progress(self.dossier)

    @cached_property
    def incomplete_sections(self) -> list[str]:
        return [
            row["section"].title
            for row in self.progress
            if row["section"].mandatory and not row["complete"]
        ]

    @cached_property
    def proposal_missing(self) -> list[str]:
        return missing_for_proposal(self.dossier)

    @cached_property
    def qpvs(self) -> list:
        return list(self.dossier.qpvs.all())

    @cached_property
    def budget_lines(self) -> list:
        return list(self.dossier.budget_lines.all())

    @cached_property
    def totals(self) -> dict:
        return budget_totals(self.budget_lines)

    @cached_property
    def open_edition(self) -> Edition | None:
        return open_edition()

    @cached_property
    def attachment_count(self) -> int:
        return project_attachments(self.project).count()

    @cached_property
    def snapshot(self) -> DepositSnapshot | None:
        return snapshots_of(self.project).first()

    @cached_property
    def coaching_entries(self) -> list[CoachingEntry]:
        return list(coaching_entries_for(self.project, coach=self.coach))

    @cached_property
    def thread(self) -> Page:
        """A page of the thread, the latest messages on the first."""
        self.thread_shown()
        latest_first = project_messages(self.project).order_by("-created_at", "-pk")
        return Paginator(latest_first, MESSAGES_PER_PAGE).get_page(self.messages_page)

    @cached_property
    def thread_messages(self) -> list[Message]:
        """The messages of the thread's page, in the order they were written."""
        return list(reversed(self.thread.object_list))

    @cached_property
    def changes(self) -> list[ProjectChange]:
        return list(project_changes(self.project))

    @cached_property
    def events(self) -> list[Event]:
        return project_events(self.project)


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
