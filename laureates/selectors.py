"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Least

from core.formats import euros
from laureates.enums import MilestoneStatus, ReportKind, ReportState
from laureates.models import FundingTranche, Laureate, Milestone, Report, ReportAttachment
from submissions.enums import ProjectState
from submissions.models import Edition

if TYPE_CHECKING:
    from accounts.models import User


def public_laureates() -> QuerySet[Laureate]:
    """The cards the public sees: published, in a published showcase."""
    return Laureate.objects.filter(is_public=True)


def laureates_visible_to(user: User) -> QuerySet[Laureate]:
    """The laureates a signed-in person works on: all for the coordination, else their own."""
    if not (user.is_authenticated and user.is_active):
        return Laureate.objects.none()
    if user.is_coordinator:
        return Laureate.objects.all()
    return Laureate.objects.filter(association__memberships__user=user).distinct()


# --- Suivi: the follow-up of a funded project ---------------------------------------------
# What is late is written once, as queries: the follow-up page, the coordinators' overview
# and the reminders all read these conditions.

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
