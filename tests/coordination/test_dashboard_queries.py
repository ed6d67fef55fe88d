"""The dashboard costs the same number of queries with 10 projects as with ten times more.

A hundred projects in every state carry the meaning (the queries that would grow with the rows
grow ten times); a thousand took ten seconds of the suite to build, for the same counts.

Computed (its cache made stale first) as when read from the cache, where it
reads no figure at all.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CityContract, Commune
from coordination import stats
from core import cache_versions
from core.models import Event
from laureates.models import Laureate
from submissions.enums import EditionState, ProjectState, Theme
from submissions.models import CoachingEntry, Message, Project
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.shared_world import SharedWorld
from tests.submissions.factories import EditionFactory

MANY = 100
FEW = 10
WARM_QUERIES = {"coordinator": 1, "officer": 2}
STATES = [state for state in ProjectState.values if state != ProjectState.DRAFT]
DEPOSITED = {"deposited", "eligible", "ineligible", "shortlisted", "not_selected", "laureate"}


def _build() -> dict:
    """A hundred projects in every state, three territories, with their events, notes and cards."""
    now = timezone.now()
    previous = EditionFactory(
        year=2040, state=EditionState.ARCHIVED, deposit_deadline=now - datetime.timedelta(days=300)
    )
    edition = EditionFactory(year=2041, open=True, budget_envelope=Decimal("50000"))
    communes = [
        Commune.objects.get(name=name) for name in ("Ivry-sur-Seine", "Orly", "Chevilly-Larue")
    ]
    associations = [AssociationFactory(commune=commune) for commune in communes]
    member = member_of(associations[0])
    officer = UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont"))
    projects = []
    for number, state, association, theme in zip(
        range(MANY),
        itertools.cycle(STATES),
        itertools.cycle(associations),
        itertools.cycle(Theme.values),
        strict=False,
    ):
        deposited = state in DEPOSITED
        projects.append(
            Project(
                association=association,
                state=state,
                title=f"Projet {number}",
                commune=association.commune,
                city_contract=association.commune.city_contract,
                edition=(previous if number % 7 == 0 else edition) if deposited else None,
                themes=[theme],
                amount_requested=Decimal("1000") + number,
                proposed_at=now - datetime.timedelta(days=60),
                deposited_at=now if deposited else None,
            )
        )
    projects = Project.objects.bulk_create(projects)
    through = Project.qpvs.through
    through.objects.bulk_create(
        through(project_id=project.pk, qpv_id=project.commune.qpvs.order_by("code").first().pk)
        for project in projects[:: len(associations) * 10]
    )
    content_type = ContentType.objects.get_for_model(Project)
    events = []
    for project in projects:
        events.append(
            Event(
                content_type=content_type,
                object_id=project.pk,
                workflow="project",
                action="propose",
                from_state="draft",
                to_state="proposed",
                created_at=now - datetime.timedelta(days=60),
            )
        )
        if project.state in DEPOSITED:
            events.append(
                Event(
                    content_type=content_type,
                    object_id=project.pk,
                    workflow="project",
                    action="deposit",
                    from_state="ready",
                    to_state="deposited",
                    created_at=now - datetime.timedelta(days=project.pk % 40),
                )
            )
    Event.objects.bulk_create(events)
    Message.objects.bulk_create(
        Message(project=project, author=member, body="Bonjour") for project in projects[::3]
    )
    CoachingEntry.objects.bulk_create(
        CoachingEntry(
            project=project, author=officer, kind="call", happened_on=now.date(), text="Appel"
        )
        for project in projects[::2]
    )
    Laureate.objects.bulk_create(
        Laureate(
            edition=project.edition,
            year=project.edition.year,
            project=project,
            association=project.association,
            association_name=project.association.name,
            slug=f"laureat-{project.pk}",
            title=project.title,
            pitch="Un projet.",
            commune=project.commune,
            amount_granted=Decimal("500"),
            certificate_code=f"CODE-{project.pk:09d}",
        )
        for project in projects
        if project.state == ProjectState.LAUREATE
    )
    return {
        "coordinator": UserFactory(coordinator=True),
        "officer": officer,
        "few": [project.pk for project in projects[:FEW]],
    }


QUERY_WORLD = SharedWorld("tableau de bord, 100 projets", _build, copied=False)
world = QUERY_WORLD.fixture()


def _queries(client, url, *, computed: bool) -> int:
    if computed:
        cache_versions.bump(stats.VERSION)
    else:
        client.get(url)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _keep_few(world):
    kept = world["few"]
    Laureate.objects.exclude(project_id__in=kept).delete()
    Project.objects.exclude(pk__in=kept).delete()
    assert Project.objects.count() == FEW


def _url(person, who):
    if who == "officer":
        return reverse("coordination:dashboard_contract", args=[person.officer_contract_id])
    return reverse("coordination:dashboard")


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_dashboard_costs_the_same_with_10_or_100_projects(client, world, who):
    person = world[who]
    client.force_login(person)
    url = _url(person, who)
    client.get(url)  # the content types, cached once per process
    assert Project.objects.count() == MANY

    with_many = _queries(client, url, computed=True)
    _keep_few(world)
    with_few = _queries(client, url, computed=True)

    assert with_few == with_many


@pytest.mark.parametrize("who", ["coordinator", "officer"])
def test_dashboard_from_the_cache_reads_no_figure_with_10_or_100_projects(client, world, who):
    person = world[who]
    client.force_login(person)
    url = _url(person, who)
    computed = _queries(client, url, computed=True)

    with_many = _queries(client, url, computed=False)
    _keep_few(world)
    with_few = _queries(client, url, computed=False)

    # The person with the unread count (the session, the editions and the page's filters and
    # figures come from the cache), and for a chef de projet his contrat de ville.
    assert with_many == with_few == WARM_QUERIES[who]
    assert computed - with_many >= 10
