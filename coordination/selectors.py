"""Reads of the coordination tools: each takes the person who asks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from accounts.models import CityContract, User
from accounts.rules import is_coordinator, is_officer
from coordination.stats import VERSION as FIGURES_VERSION
from core import cache_versions, files
from core.models import BackgroundFile, Event
from jury import selectors as jury_selectors
from jury.aggregation import ProjectStats
from jury.enums import EvaluationState
from jury.models import Evaluation, JurySession, Proposal, Score
from laureates.models import Showcase
from network.models import Registration
from submissions.enums import EditionState, ProjectState
from submissions.models import CoachingEntry, Edition, Project

if TYPE_CHECKING:
    from accounts.models import User


# --- exports ------------------------------------------------------------------------------

EXPORT_KIND = "coordination-export"


def editions() -> QuerySet[Edition]:
    """The editions the dashboard and the exports offer, newest first."""
    return Edition.objects.order_by("-year")


def dashboard_editions() -> list[Edition]:
    """The editions of the dashboard, kept with its figures (a change of one makes both stale)."""
    return cache_versions.cached(FIGURES_VERSION, ("editions",), lambda: list(editions()))


def exportable_projects(user: User, edition: Edition | None = None) -> QuerySet[Project]:
    """The projects a person may export: every proposed one, or a chef de projet's territory.

    Drafts stay their association's. ``edition`` None: every project, those
    not deposited in an edition yet included.
    """
    queryset = Project.objects.exclude(state=ProjectState.DRAFT)
    if is_coordinator(user):
        pass
    elif is_officer(user):
        queryset = queryset.filter(city_contract_id=user.officer_contract_id)
    else:
        return queryset.none()
    if edition is not None:
        queryset = queryset.filter(edition=edition)
    return (
        queryset.select_related("association", "city_contract", "commune", "edition")
        .prefetch_related("qpvs")
        .order_by("title", "pk")
    )


def exportable_coaching_entries(
    user: User, edition: Edition | None = None
) -> QuerySet[CoachingEntry]:
    """The coaching notes of the projects the person may export (internal ones included)."""
    projects = exportable_projects(user, edition)
    return (
        CoachingEntry.objects.filter(project__in=projects.values("pk"))
        .select_related("project__association", "project__city_contract", "author")
        .order_by("project__title", "happened_on", "pk")
    )


@dataclass
class ResultRow:
    """One project heard by a jury session: its figures, the proposal, the jurors' comments."""

    session: JurySession
    project: Project
    rank: int | None
    stats: ProjectStats
    proposal: Proposal | None
    # « Juré — critère : commentaire », only read when the coordinator asks for them.
    private_comments: list[str] = field(default_factory=list)


def _private_comments(session: JurySession) -> dict[int, list[str]]:
    evaluations = (
        Evaluation.objects.filter(member__session=session, state=EvaluationState.SUBMITTED)
        .select_related("member__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("member__user__last_name", "member__user__first_name", "pk")
    )
    comments: dict[int, list[str]] = {}
    for evaluation in evaluations:
        juror = evaluation.member.user.get_full_name()
        lines = comments.setdefault(evaluation.project_id, [])
        for score in evaluation.scores.all():
            if score.comment:
                lines.append(f"{juror} — {score.criterion.label} : {score.comment}")
        if evaluation.general_comment:
            lines.append(f"{juror} — commentaire général : {evaluation.general_comment}")
    return comments


def exportable_results(user: User, edition: Edition | None) -> list[ResultRow]:
    """The jury's results of an edition, session by session: the coordination's only."""
    if edition is None or not is_coordinator(user):
        return []
    rows = []
    sessions = JurySession.objects.filter(edition=edition).order_by("starts_at", "pk")
    for session in sessions.select_related("edition"):
        results = jury_selectors.session_results(session)
        proposals = {p.project_id: p for p in jury_selectors.session_proposals(session)}
        comments = _private_comments(session)
        for rank, project, stats in results["ranking"]:
            rows.append(
                ResultRow(
                    session=session,
                    project=project,
                    rank=rank,
                    stats=stats,
                    proposal=proposals.get(project.pk),
                    private_comments=comments.get(project.pk, []),
                )
            )
    return rows


def export_jobs_of(user: User) -> QuerySet[BackgroundFile]:
    """The person's own large exports still kept, newest first."""
    return files.files_of(user, EXPORT_KIND)


def export_job_of(user: User, pk: int) -> BackgroundFile | None:
    return files.file_of(user, EXPORT_KIND, pk)


# --- dashboard ---


def dashboard_contracts_visible_to(user: User | AnonymousUser) -> QuerySet[CityContract]:
    """The contrats de ville whose dashboard a person may open: all, his own, or none."""
    contracts = CityContract.objects.order_by("departement", "short_name")
    if is_coordinator(user):
        return contracts
    if is_officer(user):
        return contracts.filter(pk=getattr(user, "officer_contract_id", None) or 0)
    return contracts.none()


def own_dashboard_contract(user: User | AnonymousUser) -> CityContract | None:
    """The contrat de ville a chef de projet's dashboard opens on."""
    contract_id = getattr(user, "officer_contract_id", None)
    if contract_id is None:
        return None
    return dashboard_contracts_visible_to(user).filter(pk=contract_id).first()


def current_edition(editions: list[Edition]) -> Edition | None:
    """The edition a dashboard opens on: the one open to deposits, else the newest."""
    return next((e for e in editions if e.state == EditionState.OPEN), None) or next(
        iter(editions), None
    )


# --- audit ---------------------------------------------------------------------------------


def audit_events_visible_to(user: User) -> QuerySet[Event]:
    """The audit trail, newest first: the coordination's alone."""
    if not is_coordinator(user):
        return Event.objects.none()
    return Event.objects.select_related("actor", "content_type").order_by("-created_at", "-pk")


def audit_event_of(user: User, pk: int) -> Event | None:
    """One entry of the trail, with its object, if the person may read the trail."""
    event = audit_events_visible_to(user).filter(pk=pk).first()
    if event is not None:
        with_subjects([event])
    return event


def _subject_querysets() -> list[QuerySet]:
    # What each object's name reads (its __str__) comes with it: no query per row.
    return [
        Evaluation.objects.select_related("member__user", "project"),
        Proposal.objects.select_related("project"),
        Showcase.objects.select_related("edition"),
        Registration.objects.select_related("meeting"),
    ]


def with_subjects(events: Sequence[Event]) -> Sequence[Event]:
    """Fetch the entries' objects, one query per kind of object (not per entry).

    An entry about a kind of object the portal no longer has (the jury's old
    PDF bundles) keeps no object: it reads as deleted.
    """
    known = []
    for event in events:
        if event.content_type.model_class() is None:
            Event._meta.get_field("subject").set_cached_value(event, None)
        else:
            known.append(event)
    prefetch_related_objects(known, GenericPrefetch("subject", _subject_querysets()))
    return events


def audit_actors() -> QuerySet[User]:
    """The people the trail names as actors, by name."""
    return User.objects.filter(pk__in=Event.objects.values("actor")).order_by(
        "last_name", "first_name", "pk"
    )


def audit_kinds() -> QuerySet[ContentType]:
    """The kinds of object the trail speaks of."""
    return ContentType.objects.filter(pk__in=Event.objects.values("content_type")).order_by(
        "app_label", "model"
    )
