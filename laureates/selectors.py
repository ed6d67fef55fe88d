"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Least

from accounts.models import Qpv
from accounts.rules import is_coordinator
from core.formats import euros
from laureates.enums import (
    CERTIFIED_PROJECT_STATES,
    CardState,
    MilestoneStatus,
    ReportKind,
    ReportState,
    ShowcaseState,
)
from laureates.models import FundingTranche, Laureate, Milestone, Report, ReportAttachment, Showcase
from submissions.enums import ProjectState
from submissions.models import Edition, Project

if TYPE_CHECKING:
    from accounts.models import User


def public_laureates() -> QuerySet[Laureate]:
    """The cards the public sees: published, in a published showcase."""
    return Laureate.objects.filter(is_public=True)


def laureates_visible_to(user: User) -> QuerySet[Laureate]:
    """The laureates a signed-in person works on: all for the coordination, else their own."""
    if is_coordinator(user):
        return Laureate.objects.all()
    return laureates_of_member(user)


# --- The coordination's showcases and the cards ------------------------------------------


def showcase_editions(user: User) -> QuerySet[Edition]:
    """The editions with laureates, their showcase and their cards counted (coordination only)."""
    if not is_coordinator(user):
        return Edition.objects.none()
    laureate_projects = Project.objects.filter(
        edition=OuterRef("pk"), state__in=CERTIFIED_PROJECT_STATES
    )
    return (
        Edition.objects.filter(
            Exists(laureate_projects) | Exists(Laureate.objects.filter(edition=OuterRef("pk")))
        )
        .select_related("showcase")
        .annotate(
            card_count=Count("laureates", distinct=True),
            ready_count=Count(
                "laureates", filter=Q(laureates__state=CardState.READY), distinct=True
            ),
            published_count=Count(
                "laureates", filter=Q(laureates__state=CardState.PUBLISHED), distinct=True
            ),
            project_count=Count(
                "projects", filter=Q(projects__state__in=CERTIFIED_PROJECT_STATES), distinct=True
            ),
        )
        .order_by("-year")
    )


def edition_cards(edition: Edition) -> QuerySet[Laureate]:
    """The cards of one edition, with what their table and buttons read."""
    return (
        Laureate.objects.filter(edition=edition)
        .select_related("commune", "edition__showcase")
        .order_by("title", "pk")
    )


def projects_without_card(edition: Edition) -> QuerySet[Project]:
    """The edition's laureate projects that have no card yet."""
    return (
        Project.objects.filter(
            edition=edition, state__in=CERTIFIED_PROJECT_STATES, laureate__isnull=True
        )
        .select_related("association")
        .order_by("title", "pk")
    )


def card_for_editing(user: User, pk: int) -> Laureate | None:
    """One card the person works on (the coordination, or the laureate's association)."""
    return (
        laureates_visible_to(user)
        .select_related("edition__showcase", "commune", "association", "updated_by")
        .filter(pk=pk)
        .first()
    )


def public_cards() -> QuerySet[Laureate]:
    """The public cards in the public order (newest edition first), with what a card shows.

    The order is the one of the partial index ``laureate_public_order``.
    """
    return (
        public_laureates()
        .select_related("commune", "edition__showcase")
        .order_by("-year", "title", "id")
    )


def latest_public_cards(limit: int) -> QuerySet[Laureate]:
    """A few cards of the newest edition that has public cards (the home page)."""
    newest = public_laureates().order_by("-year").values("year")[:1]
    return public_cards().filter(year=Subquery(newest))[:limit]


def public_showcase(year: int) -> Showcase | None:
    """The published showcase of the edition of ``year``, or None."""
    return (
        Showcase.objects.select_related("edition")
        .filter(edition__year=year, state=ShowcaseState.PUBLISHED)
        .first()
    )


def public_photo_card(pk: int) -> Laureate | None:
    """A public card that has a photo, for its photo's address."""
    return public_laureates().exclude(photo="").filter(pk=pk).only("pk", "photo").first()


def public_card(year: int, slug: str) -> Laureate | None:
    """One public card, with its quarters, or None."""
    return public_cards().prefetch_related("qpvs").filter(year=year, slug=slug).first()


def showcase_figures(showcase: Showcase) -> dict:
    """The figures of an edition's page: projects received, laureates, total granted."""
    totals = (
        public_laureates()
        .filter(edition=showcase.edition_id)
        .aggregate(laureates=Count("id"), granted=Sum("amount_granted"))
    )
    received = showcase.projects_received
    if received is None:
        received = Project.objects.filter(
            edition=showcase.edition_id, deposited_at__isnull=False
        ).count()
    return {
        "received": received,
        "laureates": totals["laureates"],
        "granted": totals["granted"] if showcase.show_amounts else None,
    }


def public_showcases() -> QuerySet[Showcase]:
    """The editions whose showcase the coordination has published, newest first."""
    return Showcase.objects.filter(state=ShowcaseState.PUBLISHED).select_related("edition")


def open_data_laureates(laureates: QuerySet[Laureate]) -> QuerySet[Laureate]:
    """The given public cards with what the open data files show of each (three queries)."""
    return (
        laureates.select_related("edition__showcase", "commune__city_contract")
        .prefetch_related(Prefetch("qpvs", queryset=Qpv.objects.order_by("name")))
        .order_by("-year", "title", "pk")
    )


def newest_public_laureates(limit: int) -> QuerySet[Laureate]:
    """The last published public cards, newest first (the Atom feed)."""
    return (
        public_laureates()
        .select_related("commune")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def laureate_counts_by_commune(laureates: QuerySet[Laureate]) -> dict[str, int]:
    """Map each commune's INSEE code to its number of cards among ``laureates``."""
    rows = (
        laureates.filter(commune__isnull=False)
        .order_by()
        .values("commune__insee")
        .annotate(count=Count("pk", distinct=True))
    )
    return {row["commune__insee"]: row["count"] for row in rows}


# --- The laureates' space: the certificate and the badge ------------------------------------

# The label is won (see rules.certificate_issued): results published, or an archive laureate.
CERTIFIED = Q(project__isnull=True) | Q(project__state__in=CERTIFIED_PROJECT_STATES)


def laureates_of_member(user: User) -> QuerySet[Laureate]:
    """The laureates of the associations a person is a member of (coordinators included)."""
    if not (user.is_authenticated and user.is_active):
        return Laureate.objects.none()
    return Laureate.objects.filter(association__memberships__user=user).distinct()


def laureate_list_for(user: User) -> QuerySet[Laureate]:
    """The laureates' space list: what the person works on, with what each row shows."""
    return (
        laureates_visible_to(user)
        .select_related("edition", "project", "association")
        .annotate(certified=ExpressionWrapper(CERTIFIED, output_field=BooleanField()))
        .order_by("-year", "title", "pk")
    )


def laureate_years(queryset: QuerySet[Laureate]) -> list[int]:
    """The editions' years present in a list, newest first."""
    return list(queryset.order_by("-year").values_list("year", flat=True).distinct())


def laureate_for(user: User, pk: int) -> Laureate | None:
    """One laureate of the person's space, with what its hub page shows, or None."""
    return (
        laureates_visible_to(user)
        .select_related("edition", "project", "association", "commune")
        .filter(pk=pk)
        .first()
    )


def certificate_by_code(code: str) -> Laureate | None:
    """The laureate whose certificate carries this (normalised) code, once the label is won.

    Public on purpose: the certificate is issued from the results, before the
    showcase is published; the verification page shows only what it says.
    """
    return (
        Laureate.objects.filter(CERTIFIED, certificate_code=code)
        .select_related("edition", "project")
        .first()
    )


OPEN_REPORT_STATES = (ReportState.EXPECTED, ReportState.RETURNED)


OPEN_MILESTONE_STATUSES = (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS)


def tranche_late(today: date) -> Q:
    """A tranche not paid by its due date (due today is not late yet)."""
    return Q(paid_on__isnull=True, due_on__lt=today)


def report_late(today: date) -> Q:
    """A report not handed in (or sent back and not handed in again) by its due date."""
    return Q(state__in=OPEN_REPORT_STATES, due_on__lt=today)


def milestone_late(today: date) -> Q:
    """A step neither done nor abandoned by its planned date."""
    return Q(status__in=OPEN_MILESTONE_STATUSES, planned_on__lt=today)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


@dataclass(frozen=True)
class DueItem:
    """One thing the follow-up waits for, with its date: late, or to come."""

    kind: str  # « Tranche », « Bilan », « Étape »
    label: str
    due_on: date
    today: date

    @property
    def late(self) -> bool:
        return self.due_on < self.today

    @property
    def days(self) -> int:
        """Days late, or days left (0: today)."""
        return abs((self.today - self.due_on).days)


@dataclass(frozen=True)
class Followup:
    laureate: Laureate
    tranches: list
    milestones: list
    reports: list
    late: list[DueItem]
    upcoming: list[DueItem]
    completed: bool
    final_report_accepted: bool


def followup_of(laureate: Laureate, *, today: date) -> Followup:
    """The follow-up of one laureate: its agreement, what is late and what comes next."""
    tranches = list(laureate.tranches.annotate(late=_flag(tranche_late(today))))
    milestones = list(laureate.milestones.annotate(late=_flag(milestone_late(today))))
    reports = list(
        laureate.reports.annotate(late=_flag(report_late(today))).prefetch_related(
            Prefetch("attachments", queryset=ReportAttachment.objects.order_by("uploaded_at", "pk"))
        )
    )
    waiting = [
        *(
            DueItem("Tranche", f"versement de {euros(t.amount)}", t.due_on, today)
            for t in tranches
            if t.paid_on is None
        ),
        *(
            DueItem("Bilan", r.get_kind_display(), r.due_on, today)
            for r in reports
            if r.state in OPEN_REPORT_STATES
        ),
        *(
            DueItem("Étape", m.title, m.planned_on, today)
            for m in milestones
            if m.status in OPEN_MILESTONE_STATUSES
        ),
    ]
    waiting.sort(key=lambda item: item.due_on)
    project = laureate.project
    return Followup(
        laureate=laureate,
        tranches=tranches,
        milestones=milestones,
        reports=reports,
        late=[item for item in waiting if item.late],
        upcoming=[item for item in waiting if not item.late][:3],
        completed=bool(project and project.state == ProjectState.COMPLETED),
        final_report_accepted=any(
            r.kind == ReportKind.FINAL and r.state == ReportState.ACCEPTED for r in reports
        ),
    )


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.filter(laureate=OuterRef("pk"))
            .order_by()
            .values("laureate")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _earliest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(
        queryset.filter(laureate=OuterRef("pk"))
        .order_by()
        .values("laureate")
        .annotate(first=Min(field))
        .values("first")
    )


def followup_overview(user: User, *, today: date) -> QuerySet[Laureate]:
    """The laureates in follow-up, with what is late, the most overdue first.

    One query whatever the number of laureates: every figure is a subquery.
    """
    tranches, reports = FundingTranche.objects.all(), Report.objects.all()
    milestones = Milestone.objects.all()
    open_tranches = tranches.filter(paid_on__isnull=True, due_on__gte=today)
    open_reports = reports.filter(state__in=OPEN_REPORT_STATES, due_on__gte=today)
    open_milestones = milestones.filter(status__in=OPEN_MILESTONE_STATUSES, planned_on__gte=today)
    return (
        laureates_visible_to(user)
        .filter(project__state=ProjectState.LAUREATE)
        .select_related("edition", "association")
        .annotate(
            late_tranches=_count(tranches.filter(tranche_late(today))),
            late_reports=_count(reports.filter(report_late(today))),
            late_milestones=_count(milestones.filter(milestone_late(today))),
            # PostgreSQL's LEAST skips NULLs: the earliest of whichever exist.
            oldest_late=Least(
                _earliest(tranches.filter(tranche_late(today)), "due_on"),
                _earliest(reports.filter(report_late(today)), "due_on"),
                _earliest(milestones.filter(milestone_late(today)), "planned_on"),
            ),
            next_due=Least(
                _earliest(open_tranches, "due_on"),
                _earliest(open_reports, "due_on"),
                _earliest(open_milestones, "planned_on"),
            ),
        )
        .order_by(
            F("oldest_late").asc(nulls_last=True),
            F("next_due").asc(nulls_last=True),
            "title",
            "pk",
        )
    )


def followup_editions() -> QuerySet[Edition]:
    """The editions that have laureates in follow-up, for the overview's filter."""
    return Edition.objects.filter(laureates__project__state=ProjectState.LAUREATE).distinct()


def public_progress(laureate: Laureate) -> dict | None:
    """What the public page shows of a project's progress, or None when it shows nothing.

    Only for a public card whose association agreed (``show_progress``); abandoned
    steps are left out.
    """
    if not (laureate.is_public and laureate.show_progress):
        return None
    project = laureate.project
    return {
        "milestones": list(
            laureate.milestones.exclude(status=MilestoneStatus.ABANDONED).only(
                "title", "planned_on", "status", "position"
            )
        ),
        "completed": bool(project and project.state == ProjectState.COMPLETED),
    }
