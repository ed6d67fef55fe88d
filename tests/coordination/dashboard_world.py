"""A known set of projects, moved through their workflow, for the dashboard's figures.

Three editions: 2029 ran before the portal (a showcase with 12 dossiers
received, two laureate cards from the archives), 2030 is closed (two
dossiers, one laureate), 2031 is open. In 2031, Seine Amont (Ivry-sur-Seine)
has six projects, Orly three, the coordinators' queue one (Chevilly-Larue);
a draft never counts. The deposits of 2031 came 10, 20, 30, 40 and 50 days
after their proposal (the event log's dates).

    project  contrat       moves                                     reached   requested
    a1       Seine Amont   propose                                   proposed
    a2       Seine Amont   … coaching                                coached
    a3       Seine Amont   … deposit (10 d)                          deposited 1 000
    a4       Seine Amont   … shortlist, award (20 d)                 laureate  3 000 (card 2 500)
    a5       Seine Amont   … deposit, declare_ineligible (30 d)      deposited 1 500
    a6       Seine Amont   propose, withdraw                         proposed
    b1       Orly          … shortlist, not_select (40 d)            shortlisted 2 000
    b2       Orly          … declare_eligible, withdraw (50 d)       eligible  4 000
    b3       Orly          … mark_ready                              coached
    c1       (queue)       propose                                   proposed
"""

import contextlib
import datetime
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from accounts.models import CityContract, Commune
from core.models import Event
from core.workflow import transition
from laureates.models import Laureate
from submissions.enums import EditionState, Theme
from submissions.models import Project
from submissions.services import project_transition
from submissions.workflows import EDITION
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory, ShowcaseFactory
from tests.shared_world import SharedWorld
from tests.submissions.factories import (
    CoachingEntryFactory,
    EditionFactory,
    MessageFactory,
    ProjectFactory,
)

START = timezone.now() - datetime.timedelta(days=200)
TO_DEPOSIT = ["propose", "take_into_coaching", "mark_ready", "deposit"]


@contextlib.contextmanager
def events_dated(moment: datetime.datetime):
    """Write the event log's entries at ``moment``, as if the moves had happened then."""
    with mock.patch.object(Event._meta.get_field("created_at"), "_get_default", lambda: moment):
        yield


def _move(project, moves, people, *, deposit_after_days=0, comment=""):
    """Take ``moves``; the deposit and what follows come ``deposit_after_days`` after the rest."""
    for position, name in enumerate(moves):
        late = "deposit" in moves and position >= moves.index("deposit")
        moment = START + datetime.timedelta(days=deposit_after_days if late else 0)
        member = name in {"propose", "deposit", "withdraw"}
        actor = people[f"member_{project.association_id}" if member else "coordinator"]
        with events_dated(moment):
            project = project_transition(
                project=project,
                actor=actor,
                name=name,
                comment=comment if name == "declare_ineligible" else "",
                publication=name in {"award", "not_select"},
            )
    return project


def build_dashboard_world() -> dict:
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    orly = Commune.objects.get(name="Orly")
    chevilly = Commune.objects.get(name="Chevilly-Larue")
    seine_amont = CityContract.objects.get(slug="seine-amont")
    orly_contract = CityContract.objects.get(slug="orly")
    coordinator = UserFactory(coordinator=True)
    officer_t1 = UserFactory(officer_contract=seine_amont, first_name="Awa", last_name="Sow")
    officer_t2 = UserFactory(officer_contract=orly_contract, first_name="Léo", last_name="Roux")
    association_i = AssociationFactory(commune=ivry)
    association_o = AssociationFactory(commune=orly)
    association_c = AssociationFactory(commune=chevilly)
    people = {"coordinator": coordinator}
    for association in (association_i, association_o, association_c):
        people[f"member_{association.pk}"] = member_of(association)

    archived = EditionFactory(
        year=2029,
        state=EditionState.ARCHIVED,
        deposit_deadline=timezone.now() - datetime.timedelta(days=400),
        budget_envelope=Decimal("8000"),
    )
    ShowcaseFactory(edition=archived, projects_received=12)
    LaureateFactory(edition=archived, commune=ivry, amount_granted=Decimal("3000"))
    LaureateFactory(edition=archived, commune=orly, amount_granted=Decimal("4000"))

    previous = EditionFactory(year=2030, open=True, budget_envelope=Decimal("9000"))
    p1 = ProjectFactory(association=association_i, commune=ivry, complete=True)
    p1 = _move(p1, [*TO_DEPOSIT, "declare_eligible", "shortlist", "award"], people)
    LaureateFactory(
        edition=previous, project=p1, commune=ivry, amount_granted=Decimal("2000"), slug="p1"
    )
    p2 = ProjectFactory(association=association_o, commune=orly, complete=True)
    _move(p2, [*TO_DEPOSIT, "declare_eligible", "shortlist", "not_select"], people)
    transition(EDITION, previous, "close", actor=coordinator)
    type(previous).objects.filter(pk=previous.pk).update(
        deposit_deadline=timezone.now() - datetime.timedelta(days=1)
    )

    current = EditionFactory(
        year=2031,
        open=True,
        budget_envelope=Decimal("10000"),
        deposit_deadline=timezone.now() + datetime.timedelta(days=30),
    )

    def project(association, commune, themes=None):
        return ProjectFactory(
            association=association,
            commune=commune,
            complete=True,
            themes=themes or [Theme.CULTURE],
        )

    a1 = _move(
        project(association_i, ivry, themes=[Theme.CULTURE, Theme.SPORT]), ["propose"], people
    )
    a2 = _move(project(association_i, ivry), ["propose", "take_into_coaching"], people)
    a3 = _move(project(association_i, ivry), TO_DEPOSIT, people, deposit_after_days=10)
    a4 = _move(
        project(association_i, ivry),
        [*TO_DEPOSIT, "declare_eligible", "shortlist", "award"],
        people,
        deposit_after_days=20,
    )
    LaureateFactory(
        edition=current, project=a4, commune=ivry, amount_granted=Decimal("2500"), slug="a4"
    )
    a5 = _move(
        project(association_i, ivry),
        [*TO_DEPOSIT, "declare_ineligible"],
        people,
        deposit_after_days=30,
        comment="Hors quartier prioritaire.",
    )
    a6 = _move(project(association_i, ivry), ["propose", "withdraw"], people)
    b1 = _move(
        project(association_o, orly, themes=[Theme.SPORT]),
        [*TO_DEPOSIT, "declare_eligible", "shortlist", "not_select"],
        people,
        deposit_after_days=40,
    )
    b2 = _move(
        project(association_o, orly, themes=[Theme.SOCIAL_ECONOMY]),
        [*TO_DEPOSIT, "declare_eligible", "withdraw"],
        people,
        deposit_after_days=50,
    )
    b3 = _move(
        project(association_o, orly), ["propose", "take_into_coaching", "mark_ready"], people
    )
    c1 = _move(project(association_c, chevilly), ["propose"], people)
    draft = project(association_i, ivry)
    # The dossiers were balanced at 2 500 € when deposited; the amounts asked differ.
    for moved, amount in [(a3, "1000"), (a4, "3000"), (a5, "1500"), (b1, "2000"), (b2, "4000")]:
        Project.objects.filter(pk=moved.pk).update(amount_requested=Decimal(amount))

    # The association spoke last on a2 (waiting), the chef de projet on b3 (not waiting).
    MessageFactory(project=a2, author=people[f"member_{association_i.pk}"])
    MessageFactory(project=b3, author=people[f"member_{association_o.pk}"])
    MessageFactory(project=b3, author=officer_t2)
    CoachingEntryFactory(project=a2, author=officer_t1)
    CoachingEntryFactory(project=a2, author=officer_t1)
    CoachingEntryFactory(project=a4, author=officer_t1)
    CoachingEntryFactory(project=b3, author=officer_t2)
    assert Laureate.objects.count() == 4
    return {
        "coordinator": coordinator,
        "officer_t1": officer_t1,
        "officer_t2": officer_t2,
        "seine_amont": seine_amont,
        "orly": orly_contract,
        "archived": archived,
        "previous": previous,
        "current": current,
        "projects": {
            "a1": a1,
            "a2": a2,
            "a3": a3,
            "a4": a4,
            "a5": a5,
            "a6": a6,
            "b1": b1,
            "b2": b2,
            "b3": b3,
            "c1": c1,
            "draft": draft,
        },
    }


DASHBOARD_WORLD = SharedWorld("tableau de bord", build_dashboard_world, copied=False)
