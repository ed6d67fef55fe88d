"""factory_boy factories for the submissions app, one trait per state."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Commune
from submissions.deposit import content_hash, snapshot_data
from submissions.enums import BudgetSide, EditionState, ProjectState, Visibility
from submissions.models import (
    BudgetLine,
    CoachingEntry,
    DepositSnapshot,
    Edition,
    Message,
    Project,
)
from tests.factories import AssociationFactory, UserFactory

# The balanced budget of a complete dossier: 3 000 € of charges, 3 000 € of income.
COMPLETE_BUDGET = [
    {"side": BudgetSide.CHARGE, "account": "60", "funder": "", "label": "Achats", "amount": "1000"},
    {
        "side": BudgetSide.CHARGE,
        "account": "64",
        "funder": "",
        "label": "Personnel",
        "amount": "2000",
    },
    {
        "side": BudgetSide.INCOME,
        "account": "74",
        "funder": "ept",
        "label": "Subvention EPT",
        "amount": "2500",
    },
    {"side": BudgetSide.INCOME, "account": "70", "funder": "", "label": "Ventes", "amount": "500"},
]


def ivry() -> Commune:
    return Commune.objects.get(name="Ivry-sur-Seine")


def _contract_of_commune(project):
    return project.commune.city_contract if project.commune else None


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda edition: f"Label Actions Innovantes {edition.year}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    deposit_deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    state = EditionState.PREPARING

    class Params:
        open = factory.Trait(state=EditionState.OPEN)
        past_deadline = factory.Trait(
            state=EditionState.OPEN,
            deposit_deadline=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
        )
        closed = factory.Trait(state=EditionState.CLOSED)


def _open_edition() -> Edition:
    """The open edition, created when there is none (only one may be open)."""
    return Edition.objects.filter(state=EditionState.OPEN).first() or EditionFactory(open=True)


def _add_budget_lines(project, create, extracted, **kwargs):
    if create:
        BudgetLine.objects.bulk_create(
            BudgetLine(project=project, position=index, **line)
            for index, line in enumerate(COMPLETE_BUDGET)
        )


def _add_first_qpv(project, create, extracted, **kwargs):
    if create and project.commune:
        project.qpvs.add(project.commune.qpvs.order_by("code").first())


def _freeze_snapshot(project, create, extracted, **kwargs):
    """Keep the deposited dossier, as ``project_deposit`` does."""
    if create:
        data = snapshot_data(project)
        DepositSnapshot.objects.create(
            project=project,
            edition=project.edition,
            data=data,
            content_hash=content_hash(data),
            deposited_by=project.created_by,
            deposited_at=project.deposited_at,
        )


def _creator(project):
    """The association's first member, or someone new when it has none yet."""
    return project.association.members.order_by("pk").first() or UserFactory()


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project of an association of Ivry-sur-Seine, a draft unless a trait says otherwise.

    ``complete=True`` fills every mandatory section: one QPV of the commune,
    the theme « culture », the texts and a budget balanced at 3 000 €.
    """

    class Meta:
        model = Project
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Ateliers de quartier n° {n}")
    commune = factory.LazyFunction(ivry)
    state = ProjectState.DRAFT
    created_by = factory.LazyAttribute(_creator)
    updated_by = factory.SelfAttribute("created_by")

    class Params:
        complete = factory.Trait(
            summary="Des ateliers de cuisine du monde au pied des immeubles.",
            themes=["culture"],
            need="Peu de lieux de rencontre entre voisins.",
            innovation="Les habitants animent eux-mêmes les ateliers.",
            involvement="Un comité d'habitants choisit les recettes.",
            target_public="Les familles du quartier.",
            calendar="De mars à juin, un atelier par semaine.",
            amount_requested=Decimal("2500"),
            with_qpv=factory.PostGeneration(_add_first_qpv),
            with_budget=factory.PostGeneration(_add_budget_lines),
        )
        draft = factory.Trait(state=ProjectState.DRAFT)
        proposed = factory.Trait(
            state=ProjectState.PROPOSED,
            city_contract=factory.LazyAttribute(_contract_of_commune),
            proposed_at=factory.LazyFunction(timezone.now),
        )
        coaching = factory.Trait(proposed=True, state=ProjectState.COACHING)
        ready = factory.Trait(proposed=True, state=ProjectState.READY)
        deposited = factory.Trait(
            proposed=True,
            state=ProjectState.DEPOSITED,
            edition=factory.LazyFunction(_open_edition),
            deposited_at=factory.LazyFunction(timezone.now),
            snapshot=factory.PostGeneration(_freeze_snapshot),
        )
        eligible = factory.Trait(deposited=True, state=ProjectState.ELIGIBLE)
        ineligible = factory.Trait(
            deposited=True,
            state=ProjectState.INELIGIBLE,
            review_comment="Le projet ne concerne aucun quartier prioritaire.",
        )
        shortlisted = factory.Trait(deposited=True, state=ProjectState.SHORTLISTED)
        withdrawn = factory.Trait(proposed=True, state=ProjectState.WITHDRAWN)


class CoachingEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingEntry

    project = factory.SubFactory(ProjectFactory, coaching=True)
    kind = "meeting"
    happened_on = factory.LazyFunction(timezone.localdate)
    text = "Premier rendez-vous : le budget est à revoir."
    visibility = Visibility.INTERNAL


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    project = factory.SubFactory(ProjectFactory, proposed=True)
    body = "Bonjour, pouvons-nous nous voir jeudi ?"
