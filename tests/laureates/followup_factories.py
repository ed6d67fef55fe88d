"""The follow-up of a laureate project, for tests: tranches, milestones, reports."""

import datetime

import factory
from django.utils import timezone

from laureates.enums import MilestoneStatus, ReportKind, ReportState
from laureates.models import FundingTranche, Laureate, Milestone, Report
from submissions.enums import ProjectState
from tests.factories import AssociationFactory
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import ProjectFactory


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def followup_laureate(association=None, **kwargs) -> Laureate:
    """A laureate card whose project is « Lauréat »: its follow-up is running."""
    association = association or AssociationFactory()
    project = ProjectFactory(
        association=association, proposed=True, complete=True, state=ProjectState.LAUREATE
    )
    return LaureateFactory(association=association, project=project, **kwargs)


class TrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingTranche

    laureate = factory.SubFactory(LaureateFactory)
    amount = 2500
    due_on = factory.LazyFunction(lambda: in_days(30))
    condition = "À la signature de la convention."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    laureate = factory.SubFactory(LaureateFactory)
    title = factory.Sequence(lambda n: f"Atelier n° {n} avec les habitants")
    planned_on = factory.LazyFunction(lambda: in_days(30))
    status = MilestoneStatus.PLANNED
    position = factory.Sequence(lambda n: n)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    laureate = factory.SubFactory(LaureateFactory)
    kind = ReportKind.INTERMEDIATE
    due_on = factory.LazyFunction(lambda: in_days(30))
    state = ReportState.EXPECTED

    class Params:
        final = factory.Trait(kind=ReportKind.FINAL)
        submitted = factory.Trait(
            state=ReportState.SUBMITTED,
            text="Douze ateliers, quarante familles.",
            submitted_at=factory.LazyFunction(timezone.now),
        )
        accepted = factory.Trait(submitted=True, state=ReportState.ACCEPTED)
