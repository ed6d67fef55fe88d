"""Reads of the jury stage, always through the person who asks."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.rules import is_coordinator, is_juror, signed_in
from core import cache_versions
from core.queries import row_or_none
from jury import aggregation
from jury.enums import Decision, EvaluationState
from jury.models import (
    Audition,
    ConflictDeclaration,
    ConvocationRun,
    Criterion,
    Evaluation,
    EvaluationAmendment,
    JuryMember,
    JurySession,
    Proposal,
    Score,
)
from jury.rules import SEATS_READ, seat
from submissions.enums import ProjectState
from submissions.models import Edition, Project


def sees_all_sessions(user: User) -> bool:
    """Whether the person sees every jury session (coordinators), not only their own."""
    return bool(is_coordinator(user))


def sessions_visible_to(user: User) -> QuerySet[JurySession]:
    """Coordinators see every session; a juror, the sessions they sit on."""
    queryset = JurySession.objects.select_related("edition", "president")
    if not signed_in(user):
        return queryset.none()
    if sees_all_sessions(user):
        return queryset
    # A subquery, not a join: counts made later on members must see them all.
    return queryset.filter(pk__in=JuryMember.objects.filter(user=user).values("session"))


def session_for(user: User, pk: int) -> JurySession | None:
    """The session if the person may see it (``sessions_visible_to``), in one query.

    A juror's session comes with his seat, which the permission and the page ask for.
    """
    if not signed_in(user):
        return None
    # Without its edition and president: the pages' kept bodies read them, when rendered again.
    if sees_all_sessions(user):
        return row_or_none(sessions_visible_to(user).select_related(None).filter(pk=pk))
    member = row_or_none(
        JuryMember.objects.filter(user=user, session_id=pk).select_related("session")
    )
    if member is None:
        return None
    member.user = user
    session = member.session
    session.__dict__[SEATS_READ] = {user.pk: member}
    return session


def editions_for_grid(user: User) -> QuerySet[Edition]:
    if not is_coordinator(user):
        return Edition.objects.none()
    return Edition.objects.all()


def seat_of(user: User, session: JurySession) -> JuryMember | None:
    return seat(user, session)


def criteria_of(edition: Edition) -> list[Criterion]:
    return _grid(edition.pk)


def session_criteria(session: JurySession) -> list[Criterion]:
    """The grid of the session's edition, without reading the edition."""
    return _grid(session.edition_id)


def _grid(edition_id: int) -> list[Criterion]:
    return list(Criterion.objects.filter(edition_id=edition_id).order_by("position", "pk"))


def _count_per_member(queryset: QuerySet) -> Coalesce:
    """The rows of ``queryset`` that belong to the outer juror, counted in a subquery.

    Joined together, a juror's evaluations and declarations multiply (200 × 200
    rows for each juror of a 200-project session).
    """
    counted = (
        queryset.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


def session_members(session: JurySession) -> QuerySet[JuryMember]:
    return session.members.select_related("user").annotate(
        submitted=_count_per_member(Evaluation.objects.filter(state=EvaluationState.SUBMITTED)),
        conflicts=_count_per_member(ConflictDeclaration.objects.filter(has_conflict=True)),
    )


def session_auditions(session: JurySession) -> QuerySet[Audition]:
    return session.auditions.select_related("project__association", "project__commune")


def _before(session_id, position, pk) -> Q:
    """The auditions heard before this one: the running order is (position, pk)."""
    return Q(session_id=session_id) & (Q(position__lt=position) | Q(position=position, pk__lt=pk))


def session_audition(
    session: JurySession, project_pk: int, *, reader: User | None = None
) -> Audition | None:
    """The session's audition of this project, with what its pages show.

    ``recused`` (with a ``reader``): whether the reader declared a conflict for it
    (``recused_projects``). Where it comes in the running order: ``audition_index``.
    """
    # One row: no ordering (the running order's would join the session for nothing). The
    # association and the commune are read only by the page's kept body, when it is rendered.
    auditions = Audition.objects.filter(session=session, project_id=project_pk).select_related(
        "project"
    )
    if reader is not None:
        recused = (
            Exists(_recusals(session, reader).filter(project=OuterRef("project_id")))
            if may_be_recused(reader)
            else Value(False)
        )
        auditions = auditions.annotate(recused=recused)
    return row_or_none(auditions)


def audition_index(audition: Audition) -> int:
    """Where the audition comes in its session's running order, from 0 (to find its page)."""
    return Audition.objects.filter(
        _before(audition.session_id, audition.position, audition.pk)
    ).count()


def auditions_for_member(member: JuryMember) -> QuerySet[Audition]:
    """The session's projects with this juror's declaration and evaluation state."""
    declarations = ConflictDeclaration.objects.filter(member=member, project=OuterRef("project"))
    return session_auditions(member.session).annotate(
        declared=Exists(declarations),
        conflicted=Exists(declarations.filter(has_conflict=True)),
        submitted=Exists(
            Evaluation.objects.filter(
                member=member, project=OuterRef("project"), state=EvaluationState.SUBMITTED
            )
        ),
        drafted=Exists(
            Evaluation.objects.filter(
                member=member, project=OuterRef("project"), state=EvaluationState.DRAFT
            )
        ),
    )


def project_for_member(
    member: JuryMember, project_pk: int, *, with_snapshot: bool = False
) -> Project | None:
    """The project of the member's session, unless the member declared a conflict for it.

    ``with_snapshot``: with the dossier as deposited (a large document: only its page reads it).
    The association is not read with it: the pages read it only when they render it again.
    """
    # The member's declaration for it, if any (one per project: declaration_unique).
    declared = ConflictDeclaration.objects.filter(member=member, project=OuterRef("pk"))
    projects = Project.objects.filter(pk=project_pk, audition__session=member.session_id).annotate(
        declared_conflict=Subquery(declared.values("has_conflict")[:1])
    )
    if with_snapshot:
        projects = projects.select_related("snapshot__edition")
    else:
        # What the evaluation reads of it (the services take it by its key).
        projects = projects.only("title", "association")
    project = row_or_none(projects)
    if project is None or project.declared_conflict:
        return None
    # Whether the member may score it (services.may_score), read with it: the member's
    # id when he declared it free of conflict (not a column: set as the annotations are).
    free = member.pk if project.declared_conflict is False else None
    project.__dict__["free_of_conflict_for"] = free
    return project


def _declared_free(member: JuryMember, project: Project) -> bool:
    """Whether the member declared no conflict for the project.

    A project read by ``project_for_member`` for this member carries the answer.
    """
    if getattr(project, "free_of_conflict_for", None) == member.pk:
        return True
    return member.declarations.filter(project=project, has_conflict=False).exists()


def own_evaluation(member: JuryMember, project: Project) -> Evaluation | None:
    return (
        Evaluation.objects.filter(member=member, project=project)
        .prefetch_related("scores", "amendments")
        .first()
    )


def others_evaluations(
    member: JuryMember, project: Project, *, own_submitted: bool | None = None
) -> list[Evaluation]:
    """Other jurors' submitted evaluations, once this juror has submitted their own.

    ``own_submitted``: whether the juror's own evaluation is submitted, when the
    caller has it in hand already (None: read it).
    """
    if own_submitted is None:
        own_submitted = Evaluation.objects.filter(
            member=member, project=project, state=EvaluationState.SUBMITTED
        ).exists()
    if not own_submitted or not _declared_free(member, project):
        return []
    return list(
        Evaluation.objects.filter(
            member__session=member.session, project=project, state=EvaluationState.SUBMITTED
        )
        .exclude(member=member)
        # A conflicted juror's evaluation weighs nothing: nobody reads it (as in the results).
        .exclude(
            member__in=ConflictDeclaration.objects.filter(
                project=project, has_conflict=True
            ).values("member")
        )
        .select_related("member__user")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


def _specs(criteria: list[Criterion]) -> list[aggregation.CriterionSpec]:
    return [
        aggregation.CriterionSpec(id=c.pk, weight=c.weight, scale_max=Decimal(c.scale_max))
        for c in criteria
    ]


def evaluation_total(evaluation: Evaluation, criteria: list[Criterion]) -> Decimal | None:
    scores = {score.criterion_id: score.value for score in evaluation.scores.all()}
    return aggregation.partial_weighted_total(scores, _specs(criteria))


def may_be_recused(user: User) -> bool:
    """Whether the person may have declared a conflict: only a juror holds a seat.

    A seat gives the juror's role (services.juror_add): a coordinator who is not a
    juror sits on no jury, and the check of his recusals would read nothing.
    """
    return bool(is_juror(user))


def _recusals(session: JurySession, user: User) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(
        member__session=session, member__user=user, has_conflict=True
    )


def recused_projects(session: JurySession, user: User) -> set[int]:
    """The projects of the session the person declared a conflict of interest for."""
    if not may_be_recused(user):
        return set()
    return set(_recusals(session, user).values_list("project_id", flat=True))


def hidden_from_reader(session: JurySession, user: User) -> tuple[set[int], set[int]]:
    """The projects whose figures a juror reading the results may not see yet.

    Return (the projects he has not submitted his own evaluation for — blind
    rule —, the projects he declared a conflict for). Coordinators see all.
    """
    if is_coordinator(user):
        return set(), set()
    member = seat_of(user, session)
    if member is None:
        # A president without a seat (the service seats him): he has scored nothing.
        return {audition.project_id for audition in session.auditions.all()}, set()
    conflicted = set(
        member.declarations.filter(has_conflict=True).values_list("project_id", flat=True)
    )
    submitted = set(
        member.evaluations.filter(state=EvaluationState.SUBMITTED).values_list(
            "project_id", flat=True
        )
    )
    unsubmitted = {
        audition.project_id
        for audition in session.auditions.all()
        if audition.project_id not in conflicted and audition.project_id not in submitted
    }
    return unsubmitted, conflicted


def session_results(session: JurySession, *, hidden: frozenset | set = frozenset()) -> dict:
    """Everything the results page shows, computed from the submitted evaluations.

    The projects in ``hidden`` (a reader's recusals) count as not scored.
    """
    criteria = session_criteria(session)
    specs = _specs(criteria)
    auditions = list(session_auditions(session))
    members = list(session.members.select_related("user"))
    conflicts = defaultdict(set)
    for declaration in ConflictDeclaration.objects.filter(
        member__session=session, has_conflict=True
    ):
        conflicts[declaration.project_id].add(declaration.member_id)
    totals_by_project: dict[int, dict[int, Decimal]] = defaultdict(dict)
    totals_by_juror: dict[int, dict[int, Decimal]] = defaultdict(dict)
    # Plain tuples, not model instances: a session of 200 projects has some 12,000 scores.
    submitted = Evaluation.objects.filter(member__session=session, state=EvaluationState.SUBMITTED)
    scores_of: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for evaluation_id, criterion_id, value in Score.objects.filter(
        evaluation__in=submitted.values("pk")
    ).values_list("evaluation_id", "criterion_id", "value"):
        scores_of[evaluation_id][criterion_id] = value
    criterion_sums: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    # A hidden project shows how many evaluations it received, not what they say.
    received: dict[int, int] = defaultdict(int)
    for evaluation_id, member_id, project_id in submitted.values_list(
        "pk", "member_id", "project_id"
    ):
        if member_id in conflicts[project_id]:
            continue
        received[project_id] += 1
        if project_id in hidden:
            continue
        scores = scores_of[evaluation_id]
        total = aggregation.weighted_total(scores, specs)
        totals_by_project[project_id][member_id] = total
        totals_by_juror[member_id][project_id] = total
        for criterion_id, value in scores.items():
            criterion_sums[project_id][criterion_id].append(value)
    stats = {
        audition.project_id: aggregation.project_stats(
            totals_by_project.get(audition.project_id, {}),
            expected=len(members) - len(conflicts[audition.project_id]),
        )
        for audition in auditions
    }
    for project_id in hidden & stats.keys():
        stats[project_id].progress_label = f"{received[project_id]}/{stats[project_id].expected}"
    severity = aggregation.juror_severity(totals_by_juror) if totals_by_juror else {}
    normalised = aggregation.normalised_ranking(totals_by_juror) if totals_by_juror else []
    projects = {audition.project_id: audition.project for audition in auditions}
    scored = {project_id for _rank, project_id, _mean in normalised}
    normalised += [(None, pid, None) for pid in projects if pid not in scored]
    return {
        "criteria": criteria,
        "members": members,
        "conflicts": dict(conflicts),
        "stats": stats,
        "ranking": [
            (rank, projects[project_id], item)
            for rank, project_id, item in aggregation.ranking(stats)
        ],
        "severity": [(member, severity.get(member.pk)) for member in members],
        "normalised": [(rank, projects[pid], mean) for rank, pid, mean in normalised],
        "criterion_means": {
            project_id: {
                criterion_id: sum(values) / len(values)
                for criterion_id, values in by_criterion.items()
            }
            for project_id, by_criterion in criterion_sums.items()
        },
        "totals_by_project": {key: dict(value) for key, value in totals_by_project.items()},
        "hidden_projects": [project for pid, project in projects.items() if pid in hidden],
    }


# What the results of a session read: saving or deleting any of these makes them stale
# (core.cache_versions, watched in jury.apps).
RESULTS_VERSION = "jury-results"
RESULTS_READ = (
    "jury.Evaluation",
    "jury.Score",
    "jury.ConflictDeclaration",
    "jury.Audition",
    "jury.JuryMember",
    "jury.Criterion",
    "submissions.Project",
    "accounts.User",
)


# What the jury's signed-in pages show (the session, the results, the deliberation...): their
# heavy parts are kept per viewer under this version ({% cached_fragment "jury-pages" %}),
# stale as soon as any of these is saved or deleted (watched in jury.apps).
PAGES_VERSION = "jury-pages"
PAGES_READ = (
    *RESULTS_READ,
    "jury.JurySession",
    "jury.Proposal",
    "jury.EvaluationAmendment",
    "submissions.Edition",
    "accounts.Association",
    "accounts.Commune",
)


class ProjectLine(NamedTuple):
    """A project as the results page names it."""

    pk: int
    title: str
    association_name: str


class JurorLine(NamedTuple):
    """A juror as the results page names him."""

    pk: int
    name: str
    quality: str


class CriterionLine(NamedTuple):
    pk: int
    label: str


def _results_figures(results: dict) -> dict:
    """What the results page shows of ``session_results``, as plain values.

    Kept in the cache: plain tuples read back many times faster than model instances.
    """

    def project(item: Project) -> ProjectLine:
        return ProjectLine(item.pk, item.title, item.association.name)

    return {
        "criteria": [CriterionLine(c.pk, c.label) for c in results["criteria"]],
        "stats": results["stats"],
        "ranking": [(rank, project(p), item) for rank, p, item in results["ranking"]],
        "normalised": [(rank, project(p), mean) for rank, p, mean in results["normalised"]],
        "severity": [
            (
                JurorLine(m.pk, m.user.get_full_name() or m.user.email, m.get_quality_display()),
                value,
            )
            for m, value in results["severity"]
        ],
        "hidden_projects": [project(p) for p in results["hidden_projects"]],
    }


def cached_session_results(session: JurySession, *, hidden: frozenset | set = frozenset()) -> dict:
    """What the results page shows of ``session_results``, computed once for as long as
    nothing it reads changes.

    Computing them reads every submitted evaluation of the session (some 12,000
    scores for 200 projects): a page of them should not.
    """
    return cache_versions.cached(
        RESULTS_VERSION,
        ("figures", session.pk, ",".join(map(str, sorted(hidden)))),
        lambda: _results_figures(session_results(session, hidden=hidden)),
    )


def session_proposals(session: JurySession) -> QuerySet[Proposal]:
    return session.proposals.select_related("project", "recorded_by")


def sessions_with_members(queryset: QuerySet[JurySession]) -> QuerySet[JurySession]:
    return queryset.annotate(
        member_count=Count("members", distinct=True),
        audition_count=Count("auditions", distinct=True),
    ).prefetch_related(Prefetch("members", queryset=JuryMember.objects.select_related("user")))


def shortlisted_without_audition(session: JurySession) -> QuerySet[Project]:
    return (
        Project.objects.filter(
            edition=session.edition, state=ProjectState.SHORTLISTED, audition__isnull=True
        )
        .select_related("association")
        .order_by("title")
    )


def auditions_of_member_associations(user: User) -> QuerySet[Audition]:
    """The auditions of the projects of the person's associations."""
    if not user.is_authenticated:
        return Audition.objects.none()
    return Audition.objects.filter(project__association__memberships__user=user).select_related(
        "session", "project__association", "project__edition"
    )


def criteria_editable_by(user: User) -> QuerySet[Criterion]:
    if not is_coordinator(user):
        return Criterion.objects.none()
    return Criterion.objects.select_related("edition")


def _count_per_session(queryset: QuerySet, session_path: str) -> Coalesce:
    """The rows of ``queryset`` that belong to the outer session, counted in a subquery.

    One subquery per count: joining auditions, declarations and evaluations to the
    session in one query multiplies them (30 auditions: 36 ms; 200: 18 s).
    """
    counted = (
        queryset.filter(**{session_path: OuterRef("pk")})
        .order_by()
        .values(session_path)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


def sessions_of_juror(user: User) -> QuerySet[JurySession]:
    """The sessions a person sits on, with what remains for them to do."""
    return (
        JurySession.objects.filter(members__user=user)
        .select_related("edition")
        .annotate(
            audition_count=_count_per_session(Audition.objects.all(), "session"),
            declared_count=_count_per_session(
                ConflictDeclaration.objects.filter(member__user=user), "member__session"
            ),
            submitted_count=_count_per_session(
                Evaluation.objects.filter(member__user=user, state=EvaluationState.SUBMITTED),
                "member__session",
            ),
        )
        .order_by("starts_at")
    )


def _projects_with_feedback(user: User) -> QuerySet[Project]:
    """The auditioned projects of the person's associations, once their results are out."""
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(
        association__memberships__user=user,
        edition__results_published_at__isnull=False,
        audition__isnull=False,
    )


def has_feedback(user: User, project: Project) -> bool:
    """Whether the person can read the jury's feedback on this project."""
    return _projects_with_feedback(user).filter(pk=project.pk).exists()


def feedback_for(user: User, project_pk: int) -> dict | None:
    """After publication, the jury's word to the association: no juror's name in it."""
    project = (
        _projects_with_feedback(user)
        .filter(pk=project_pk)
        .select_related("edition", "audition__session")
        .first()
    )
    if project is None:
        return None
    session = project.audition.session
    conflicted = ConflictDeclaration.objects.filter(
        member__session=session, project=project, has_conflict=True
    ).values("member")
    evaluations = (
        Evaluation.objects.filter(
            member__session=session, project=project, state=EvaluationState.SUBMITTED
        )
        .exclude(member__in=conflicted)
        .prefetch_related("scores")
    )
    sums: dict[int, list] = defaultdict(list)
    for evaluation in evaluations:
        for score in evaluation.scores.all():
            sums[score.criterion_id].append(score.value)
    criteria = session_criteria(session)
    return {
        "project": project,
        "proposal": Proposal.objects.filter(session=session, project=project).first(),
        "criteria": [
            (
                criterion,
                sum(sums[criterion.pk]) / len(sums[criterion.pk]) if sums[criterion.pk] else None,
            )
            for criterion in criteria
        ],
        "evaluation_count": len(evaluations),
    }


def editions_to_publish(user: User) -> QuerySet[Edition]:
    if not is_coordinator(user):
        return Edition.objects.none()
    return Edition.objects.filter(jury_sessions__isnull=False).distinct().order_by("-year")


def edition_laureate_total(edition: Edition) -> Decimal:
    """What the proposals of every session of the edition already give away."""
    total = Proposal.objects.filter(session__edition=edition, decision=Decision.LAUREATE).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0")


def president_candidates() -> QuerySet[User]:
    return User.objects.filter(is_active=True, is_juror=True).order_by("last_name", "first_name")


def publication_outcome(edition: Edition) -> dict:
    """What publishing the edition's results will do: the same proposals the service applies."""
    proposals = list(
        Proposal.objects.filter(
            session__edition=edition, project__state=ProjectState.SHORTLISTED
        ).select_related("project")
    )
    return {
        "laureates": sum(1 for p in proposals if p.decision == Decision.LAUREATE),
        "not_selected": sum(1 for p in proposals if p.decision == Decision.NOT_SELECTED),
        "associations": len({p.project.association_id for p in proposals}),
        "amount": sum((p.amount for p in proposals), Decimal("0")),
    }


@dataclass(frozen=True)
class ScoreChange:
    """One criterion changed by an amendment: « 3 → 4 »."""

    criterion: str
    before: Decimal | None
    after: Decimal | None
    comment_changed: bool


def _score_value(entry: dict) -> Decimal | None:
    try:
        return Decimal(entry["value"]) if entry.get("value") not in (None, "") else None
    except InvalidOperation:
        return None


def amendment_changes(amendment: EvaluationAmendment, criteria: list[Criterion]) -> dict:
    """What an amendment changed: the criteria whose score or comment moved, before and after."""
    before = amendment.before.get("scores", {})
    after = amendment.after.get("scores", {})
    changes = []
    for criterion in criteria:
        old, new = before.get(str(criterion.pk), {}), after.get(str(criterion.pk), {})
        old_value, new_value = _score_value(old), _score_value(new)
        comment_changed = (old.get("comment") or "") != (new.get("comment") or "")
        if old_value != new_value or comment_changed:
            changes.append(ScoreChange(criterion.label, old_value, new_value, comment_changed))
    return {
        "amendment": amendment,
        "changes": changes,
        "general_comment_changed": (amendment.before.get("general_comment") or "")
        != (amendment.after.get("general_comment") or ""),
    }


def amendments_of(
    session: JurySession, *, hidden: frozenset | set = frozenset()
) -> QuerySet[EvaluationAmendment]:
    """The amendments of the session's evaluations, oldest first.

    The projects in ``hidden`` (a reader's blind or recused projects) are left out.
    """
    return (
        EvaluationAmendment.objects.filter(evaluation__member__session=session)
        .exclude(evaluation__project_id__in=hidden)
        .select_related("evaluation__project", "evaluation__member__user")
        .order_by("created_at", "pk")
    )


def session_amendments(session: JurySession, *, hidden: frozenset | set = frozenset()) -> list:
    """Every amendment of the session's evaluations, oldest first, with what it changed."""
    criteria = session_criteria(session)
    return [
        amendment_changes(amendment, criteria)
        for amendment in amendments_of(session, hidden=hidden)
    ]


def latest_convocation_run(session: JurySession) -> ConvocationRun | None:
    """The session's last sending of convocations (jury.convocations), for its page."""
    return session.convocation_runs.order_by("-created_at", "-pk").first()
