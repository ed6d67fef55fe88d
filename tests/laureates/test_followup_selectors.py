"""What is late, at the day's boundaries; the overview's order; the public progress."""

import datetime

import pytest

from laureates import selectors
from laureates.enums import MilestoneStatus, ReportState
from laureates.models import FundingTranche, Milestone, Report
from submissions.enums import ProjectState
from submissions.models import Project
from tests.factories import UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.laureates.followup_factories import (
    MilestoneFactory,
    ReportFactory,
    TrancheFactory,
    followup_laureate,
)

DUE = datetime.date(2026, 6, 30)
DAY = datetime.timedelta(days=1)


def _late(model, condition) -> list[int]:
    return list(model.objects.filter(condition).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("today", "late"),
    [(DUE - DAY, False), (DUE, False), (DUE + DAY, True), (DUE + 365 * DAY, True)],
)
def test_an_unpaid_tranche_is_late_from_the_day_after_its_due_date(db, today, late):
    tranche = TrancheFactory(due_on=DUE)
    TrancheFactory(laureate=tranche.laureate, due_on=DUE, paid_on=DUE + 5 * DAY)  # paid late

    assert _late(FundingTranche, selectors.tranche_late(today)) == ([tranche.pk] if late else [])


@pytest.mark.parametrize(
    ("state", "today", "late"),
    [
        (ReportState.EXPECTED, DUE, False),
        (ReportState.EXPECTED, DUE + DAY, True),
        (ReportState.RETURNED, DUE + DAY, True),
        (ReportState.SUBMITTED, DUE + DAY, False),
        (ReportState.ACCEPTED, DUE + 30 * DAY, False),
    ],
)
def test_a_report_is_late_when_not_handed_in_by_its_due_date(db, state, today, late):
    report = ReportFactory(due_on=DUE, state=state)

    assert _late(Report, selectors.report_late(today)) == ([report.pk] if late else [])


@pytest.mark.parametrize(
    ("status", "today", "late"),
    [
        (MilestoneStatus.PLANNED, DUE, False),
        (MilestoneStatus.PLANNED, DUE + DAY, True),
        (MilestoneStatus.IN_PROGRESS, DUE + DAY, True),
        (MilestoneStatus.DONE, DUE + DAY, False),
        (MilestoneStatus.ABANDONED, DUE + DAY, False),
    ],
)
def test_a_milestone_is_late_when_neither_done_nor_abandoned_by_its_date(db, status, today, late):
    milestone = MilestoneFactory(planned_on=DUE, status=status)

    assert _late(Milestone, selectors.milestone_late(today)) == ([milestone.pk] if late else [])


def test_followup_of_splits_late_and_upcoming_items(db):
    laureate = followup_laureate()
    TrancheFactory(laureate=laureate, due_on=DUE - 3 * DAY, amount=2000)
    ReportFactory(laureate=laureate, due_on=DUE)
    MilestoneFactory(laureate=laureate, planned_on=DUE + 10 * DAY, title="Fête de quartier")
    MilestoneFactory(laureate=laureate, planned_on=DUE - DAY, status=MilestoneStatus.DONE)

    followup = selectors.followup_of(laureate, today=DUE)

    assert [(i.kind, i.label, i.days) for i in followup.late] == [
        ("Tranche", "versement de 2\xa0000,00 €", 3)
    ]
    assert [(i.kind, i.label, i.days) for i in followup.upcoming] == [
        ("Bilan", "Bilan intermédiaire", 0),
        ("Étape", "Fête de quartier", 10),
    ]
    assert [t.late for t in followup.tranches] == [True]
    assert followup.completed is False


def test_the_overview_puts_the_most_overdue_first_and_leaves_out_completed_projects(db):
    coordinator = UserFactory(coordinator=True)
    on_time = followup_laureate(title="À l'heure")
    MilestoneFactory(laureate=on_time, planned_on=DUE + 5 * DAY)
    a_little_late = followup_laureate(title="Un peu en retard")
    ReportFactory(laureate=a_little_late, due_on=DUE - DAY)
    very_late = followup_laureate(title="Très en retard")
    TrancheFactory(laureate=very_late, due_on=DUE - 40 * DAY)
    MilestoneFactory(laureate=very_late, planned_on=DUE - 2 * DAY)
    MilestoneFactory(laureate=very_late, planned_on=DUE - 2 * DAY, status=MilestoneStatus.DONE)
    nothing_yet = followup_laureate(title="Rien de prévu")
    done = followup_laureate(title="Réalisé")
    Project.objects.filter(pk=done.project.pk).update(**{"state": ProjectState.COMPLETED})
    LaureateFactory(title="Archives sans projet")

    rows = list(selectors.followup_overview(coordinator, today=DUE))

    assert [
        (r.title, r.late_tranches, r.late_reports, r.late_milestones, r.oldest_late, r.next_due)
        for r in rows
    ] == [
        ("Très en retard", 1, 0, 1, DUE - 40 * DAY, None),
        ("Un peu en retard", 0, 1, 0, DUE - DAY, None),
        ("À l'heure", 0, 0, 0, None, DUE + 5 * DAY),
        ("Rien de prévu", 0, 0, 0, None, None),
    ]
    assert nothing_yet in rows


def test_the_overview_selector_keeps_to_what_the_person_sees(db):
    laureate = followup_laureate()
    followup_laureate()

    assert list(selectors.followup_overview(member_of(laureate.association), today=DUE)) == [
        laureate
    ]


@pytest.mark.parametrize(
    ("public", "show", "shown"), [(True, True, True), (True, False, False), (False, True, False)]
)
def test_public_progress_only_for_a_public_card_whose_association_agreed(db, public, show, shown):
    laureate = followup_laureate(public=public, show_progress=show)
    MilestoneFactory(laureate=laureate, title="Premier atelier", status=MilestoneStatus.DONE)
    MilestoneFactory(laureate=laureate, title="Voyage", status=MilestoneStatus.ABANDONED)

    progress = selectors.public_progress(laureate)

    if shown:
        assert [m.title for m in progress["milestones"]] == ["Premier atelier"]
        assert progress["completed"] is False
    else:
        assert progress is None
