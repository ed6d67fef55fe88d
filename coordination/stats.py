"""The figures of the coordination's dashboard: an edition's funnel, counts, amounts and delays.

Every figure is one aggregate query over the projects of a *scope* (an
edition, and a contrat de ville or the whole territory): the number of
queries never depends on the number of projects.

Which edition a project belongs to: the one it was deposited in; a project
not deposited (yet) belongs to the first edition whose deposit deadline
follows its proposal, or to the latest edition when it was proposed after
every deadline. Drafts are nobody's business but their association's: they
never count.

The figures of a scope are computed together (``figures``) and kept in the
shared cache under the ``"dashboard"`` version (``core.cache_versions``),
which every save or deletion of what they read bumps (``coordination.apps``):
a dashboard opened again costs no aggregate until something changes.

How far a project went (its *stage*): the furthest of the states it has been
in, read from the project workflow's event log (``to_state``) and its current
state. A project counts at every stage it reached, so an ineligible, not
selected or withdrawn project counts up to where it stopped.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from accounts.models import CityContract, Membership, User
from core import cache_versions
from core.models import Event
from laureates.models import Laureate
from submissions.enums import ProjectState, Theme
from submissions.models import CoachingEntry, Edition, Message, Project

S = ProjectState
# The named cache version of the dashboard's figures.
VERSION = "dashboard"

# How far each state is along the way; a state that ends the way sits where it stopped.
STATE_RANK: dict[str, int] = {
    S.DRAFT: 0,
    S.PROPOSED: 1,
    S.WITHDRAWN: 1,
    S.COACHING: 2,
    S.READY: 2,
    S.DEPOSITED: 3,
    S.INELIGIBLE: 3,
    S.ELIGIBLE: 4,
    S.SHORTLISTED: 5,
    S.NOT_SELECTED: 5,
    S.LAUREATE: 6,
    S.COMPLETED: 6,
}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    rank: int


FUNNEL = (
    Stage("proposed", "Proposés", 1),
    Stage("coached", "Accompagnés", 2),
    Stage("deposited", "Déposés", 3),
    Stage("eligible", "Recevables", 4),
    Stage("shortlisted", "Retenus pour audition", 5),
    Stage("laureates", "Lauréats", 6),
)
DEPOSITED_RANK = 3
# The states a chef de projet still works on with the association.
COACHED_STATES = (S.COACHING, S.READY)
# How many editions the comparison shows: the chosen one and the previous ones.
HISTORY_LENGTH = 6


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers: one edition, one contrat de ville or the whole territory."""

    edition: Edition
    contract: CityContract | None = None


class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont``: the value below which ``fraction`` of the rows fall."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _rank_of(field: str) -> Case:
    return Case(
        *[When(**{field: state}, then=Value(rank)) for state, rank in STATE_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _project_events() -> QuerySet[Event]:
    content_type = ContentType.objects.get_for_model(Project)
    return Event.objects.filter(
        content_type=content_type, object_id=OuterRef("pk"), workflow="project"
    ).order_by()


def _first_time_in(state: str) -> Subquery:
    return Subquery(
        _project_events().filter(to_state=state).order_by("created_at").values("created_at")[:1]
    )


def projects_with_stage() -> QuerySet[Project]:
    """Every project but drafts, with its edition (``cycle``) and its furthest stage (``reached``)."""
    furthest_in_log = (
        _project_events().values("object_id").annotate(top=Max(_rank_of("to_state"))).values("top")
    )
    edition_after_proposal = (
        Edition.objects.filter(deposit_deadline__gte=OuterRef("proposed_at"))
        .order_by("deposit_deadline")
        .values("pk")[:1]
    )
    latest_edition = Edition.objects.order_by("-year").values("pk")[:1]
    return (
        Project.objects.exclude(state=S.DRAFT)
        .annotate(
            cycle=Coalesce(
                F("edition_id"), Subquery(edition_after_proposal), Subquery(latest_edition)
            ),
            reached=Greatest(_rank_of("state"), Coalesce(Subquery(furthest_in_log), Value(0))),
        )
        .order_by()
    )


def _in_contract(queryset: QuerySet, contract: CityContract | None, field: str = "city_contract"):
    return queryset if contract is None else queryset.filter(**{field: contract})


def scope_projects(scope: Scope) -> QuerySet[Project]:
    """The projects a dashboard counts."""
    return _in_contract(projects_with_stage(), scope.contract).filter(cycle=scope.edition.pk)


def _stage_counts() -> dict:
    return {stage.key: Count("pk", filter=Q(reached__gte=stage.rank)) for stage in FUNNEL}


# --- the edition's figures --------------------------------------------------------------


def funnel(scope: Scope) -> list[tuple[Stage, int]]:
    """How many projects reached each stage."""
    counts = scope_projects(scope).aggregate(**_stage_counts())
    return [(stage, counts[stage.key]) for stage in FUNNEL]


def state_counts(scope: Scope) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state but draft, in the order of the way."""
    rows = scope_projects(scope).values("state").annotate(total=Count("pk"))
    counts = {row["state"]: row["total"] for row in rows}
    return [(state, label, counts.get(state, 0)) for state, label in S.choices if state != S.DRAFT]


def theme_counts(scope: Scope) -> list[tuple[str, str, int]]:
    """(theme, label, count); a project with two themes counts in both."""
    counts = scope_projects(scope).aggregate(
        **{theme: Count("pk", filter=Q(themes__contains=[theme])) for theme in Theme.values}
    )
    return [(theme, label, counts[theme]) for theme, label in Theme.choices]


@dataclass(frozen=True)
class QpvCount:
    code: str
    name: str
    projects: int


def qpv_counts(scope: Scope) -> list[QpvCount]:
    """The quartiers the projects target, most projects first; the projects without one last."""
    rows = (
        scope_projects(scope)
        .values("qpvs__code", "qpvs__name")
        .annotate(projects=Count("pk", distinct=True))
    )
    found = [
        QpvCount(row["qpvs__code"] or "", row["qpvs__name"] or "", row["projects"]) for row in rows
    ]
    found.sort(key=lambda row: (not row.code, -row.projects, row.name))
    return found


@dataclass(frozen=True)
class Amounts:
    envelope: Decimal
    requested: Decimal
    granted: Decimal
    # The envelope is the whole edition's: a contrat de ville's page shows it without remainder.
    whole_territory: bool

    @property
    def remainder(self) -> Decimal:
        return self.envelope - self.granted

    @property
    def overrun(self) -> Decimal:
        """How much the grants exceed the envelope (0 when within it)."""
        return max(self.granted - self.envelope, Decimal(0))


def _laureate_cards(contract: CityContract | None) -> QuerySet[Laureate]:
    """The laureate cards of a territory: a project's contrat de ville, else its commune's."""
    cards = Laureate.objects.order_by()
    if contract is None:
        return cards
    return cards.filter(
        Q(project__city_contract=contract)
        | Q(project__isnull=True, commune__city_contract=contract)
    )


def amounts(scope: Scope) -> Amounts:
    """Amounts requested by the deposited dossiers and granted to the laureates."""
    requested = scope_projects(scope).aggregate(
        total=Sum("amount_requested", filter=Q(reached__gte=DEPOSITED_RANK))
    )["total"]
    granted = (
        _laureate_cards(scope.contract)
        .filter(edition=scope.edition)
        .aggregate(total=Sum("amount_granted"))["total"]
    )
    return Amounts(
        envelope=scope.edition.budget_envelope,
        requested=requested or Decimal(0),
        granted=granted or Decimal(0),
        whole_territory=scope.contract is None,
    )


@dataclass(frozen=True)
class Delay:
    """Days from proposal to deposit: how many projects, median, quartiles, extremes."""

    count: int
    median: float | None = None
    first_quartile: float | None = None
    third_quartile: float | None = None
    shortest: float | None = None
    longest: float | None = None


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def proposal_to_deposit(scope: Scope) -> Delay:
    """The time from proposal to deposit, from the event log (first time in each state)."""
    duration = DurationField()
    rows = (
        scope_projects(scope)
        .annotate(proposed_on=_first_time_in(S.PROPOSED), deposited_on=_first_time_in(S.DEPOSITED))
        .filter(proposed_on__isnull=False, deposited_on__isnull=False)
        .annotate(days=F("deposited_on") - F("proposed_on"))
        .aggregate(
            count=Count("pk"),
            median=Percentile("days", 0.5, output_field=duration),
            first_quartile=Percentile("days", 0.25, output_field=duration),
            third_quartile=Percentile("days", 0.75, output_field=duration),
            shortest=Min("days"),
            longest=Max("days"),
        )
    )
    if not rows["count"]:
        return Delay(count=0)
    return Delay(
        count=rows["count"],
        median=_days(rows["median"]),
        first_quartile=_days(rows["first_quartile"]),
        third_quartile=_days(rows["third_quartile"]),
        shortest=_days(rows["shortest"]),
        longest=_days(rows["longest"]),
    )


@dataclass(frozen=True)
class Workload:
    """One contrat de ville's chefs de projet and what they follow in the scope."""

    contract: CityContract | None
    officers: list[str]
    proposed: int
    coached: int
    deposited: int
    waiting: int
    coaching_entries: int

    @property
    def label(self) -> str:
        return self.contract.short_name if self.contract else "File de la coordination"


def workload(scope: Scope) -> list[Workload]:
    """Per contrat de ville: projects to take, in coaching, deposited, waiting for an answer.

    Waiting for an answer: proposed and not yet taken into coaching, or in
    coaching with a thread whose last message comes from the association.
    """
    last_author = Subquery(
        Message.objects.filter(project=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("author_id")[:1]
    )
    association_spoke_last = Exists(
        Membership.objects.filter(association=OuterRef("association"), user=OuterRef("last_author"))
    )
    rows = (
        scope_projects(scope)
        .annotate(last_author=last_author)
        .annotate(association_spoke_last=association_spoke_last)
        .values("city_contract")
        .annotate(
            proposed=Count("pk", filter=Q(state=S.PROPOSED)),
            coached=Count("pk", filter=Q(state__in=COACHED_STATES)),
            deposited=Count("pk", filter=Q(reached__gte=DEPOSITED_RANK)),
            waiting=Count(
                "pk",
                filter=Q(state=S.PROPOSED)
                | Q(state__in=COACHED_STATES, association_spoke_last=True),
            ),
        )
    )
    by_contract: dict[int | None, dict] = {row["city_contract"]: dict(row) for row in rows}
    entries: dict[int | None, int] = dict(
        CoachingEntry.objects.filter(project__in=scope_projects(scope).values("pk"))
        .order_by()
        .values("project__city_contract")
        .annotate(total=Count("pk"))
        .values_list("project__city_contract", "total")
    )
    officers: dict[int | None, list[str]] = {}
    people = _in_contract(
        User.objects.filter(officer_contract__isnull=False, is_active=True),
        scope.contract,
        "officer_contract",
    ).order_by("last_name", "first_name")
    for person in people.only("first_name", "last_name", "email", "officer_contract_id"):
        officers.setdefault(person.officer_contract_id, []).append(str(person))
    contracts: list[CityContract | None] = (
        [scope.contract] if scope.contract else [*CityContract.objects.all(), None]
    )
    result = []
    for contract in contracts:
        key = contract.pk if contract else None
        row = by_contract.get(key, {})
        result.append(
            Workload(
                contract=contract,
                officers=officers.get(key, []) if key else [],
                proposed=row.get("proposed", 0),
                coached=row.get("coached", 0),
                deposited=row.get("deposited", 0),
                waiting=row.get("waiting", 0),
                coaching_entries=entries.get(key, 0),
            )
        )
    return result


# --- the comparison with the previous editions ---------------------------------------------


@dataclass(frozen=True)
class EditionFigures:
    """One edition's funnel and amounts, for the comparison from year to year."""

    edition: Edition
    stages: dict[str, int]
    requested: Decimal
    granted: Decimal
    # Figures of an edition that ran before the portal, read from its archives.
    archived_received: int
    archived_laureates: int

    @property
    def year(self) -> int:
        return self.edition.year

    @property
    def deposited(self) -> int:
        return self.stages["deposited"] + self.archived_received

    @property
    def laureates(self) -> int:
        return self.stages["laureates"] + self.archived_laureates

    @property
    def from_archives(self) -> bool:
        return bool(self.archived_received or self.archived_laureates)


def history(scope: Scope, length: int = HISTORY_LENGTH) -> list[EditionFigures]:
    """The chosen edition and the ones before it, oldest first.

    Editions that ran before the portal have no dossier on it: their dossiers
    received come from their showcase (whole territory only), their laureates
    from the cards imported from the archives.
    """
    editions = list(
        Edition.objects.filter(year__lte=scope.edition.year)
        .select_related("showcase")
        .order_by("-year")[:length]
    )
    years = [edition.pk for edition in editions]
    portal: dict[int, dict] = {
        row["cycle"]: row
        for row in _in_contract(projects_with_stage(), scope.contract)
        .filter(cycle__in=years)
        .values("cycle")
        .annotate(
            **_stage_counts(),
            requested=Sum("amount_requested", filter=Q(reached__gte=DEPOSITED_RANK)),
        )
    }
    cards: dict[int, dict] = {
        row["edition"]: dict(row)
        for row in _laureate_cards(scope.contract)
        .filter(edition__in=years)
        .values("edition")
        .annotate(
            granted=Sum("amount_granted"),
            archived=Count("pk", filter=Q(project__isnull=True)),
        )
    }
    figures = []
    for edition in reversed(editions):
        row = portal.get(edition.pk, {})
        card_row = cards.get(edition.pk, {})
        showcase = getattr(edition, "showcase", None)
        received = showcase.projects_received if showcase is not None else None
        figures.append(
            EditionFigures(
                edition=edition,
                stages={stage.key: row.get(stage.key, 0) for stage in FUNNEL},
                requested=row.get("requested") or Decimal(0),
                granted=card_row.get("granted") or Decimal(0),
                archived_received=(received or 0) if scope.contract is None else 0,
                archived_laureates=card_row.get("archived", 0),
            )
        )
    return figures


# --- all of a scope's figures, cached ------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Everything a dashboard page shows of a scope."""

    funnel: list[tuple[Stage, int]]
    states: list[tuple[str, str, int]]
    themes: list[tuple[str, str, int]]
    qpvs: list[QpvCount]
    amounts: Amounts
    delay: Delay
    workload: list[Workload]
    history: list[EditionFigures]


def compute_figures(scope: Scope) -> Figures:
    """Compute every figure of a scope (a dozen aggregate queries, whatever the data)."""
    return Figures(
        funnel=funnel(scope),
        states=state_counts(scope),
        themes=theme_counts(scope),
        qpvs=qpv_counts(scope),
        amounts=amounts(scope),
        delay=proposal_to_deposit(scope),
        workload=workload(scope),
        history=history(scope),
    )


def figures(scope: Scope) -> Figures:
    """A scope's figures, from the cache while nothing they read has changed."""
    contract = scope.contract.pk if scope.contract else "territoire"
    return cache_versions.cached(
        VERSION, ("figures", scope.edition.pk, contract), lambda: compute_figures(scope)
    )
