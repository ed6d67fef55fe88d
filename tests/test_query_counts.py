"""Every list view costs the same number of queries at 1 row and at many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CityContract, Qpv
from tests.factories import AssociationFactory, InvitationFactory, UserFactory, member_of


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _keep_only_one_contract():
    CityContract.objects.exclude(slug="seine-amont").delete()


@pytest.mark.parametrize("url", ["/contrats-de-ville/", "/espace/coordination/contrats-de-ville/"])
def test_city_contract_lists_cost_the_same_with_one_or_eight_contracts(client, db, url):
    client.force_login(UserFactory(coordinator=True))
    with_eight = count_queries(client, url)

    _keep_only_one_contract()
    with_one = count_queries(client, url)

    assert with_one == with_eight


def test_city_contracts_page_query_count(client, db, django_assert_num_queries):
    # contracts, their communes, the communes' QPVs, the unassigned communes and their QPVs
    with django_assert_num_queries(5):
        client.get("/contrats-de-ville/")


def test_dashboard_costs_the_same_with_one_or_many_associations(client, db):
    user = UserFactory()
    client.force_login(user)
    qpvs = list(Qpv.objects.all()[:3])
    first = AssociationFactory()
    first.qpvs.set(qpvs)
    member_of(first)
    from accounts.models import Membership

    Membership.objects.create(user=user, association=first)
    with_one = count_queries(client, "/espace/")

    for _ in range(9):
        association = AssociationFactory()
        association.qpvs.set(qpvs)
        Membership.objects.create(user=user, association=association)
    with_ten = count_queries(client, "/espace/")

    assert with_one == with_ten


def test_association_page_costs_the_same_with_one_or_many_members(client, db):
    association = AssociationFactory()
    actor = member_of(association)
    InvitationFactory(association=association, invited_by=actor)
    client.force_login(actor)
    url = reverse("accounts:association_detail", args=[association.pk])
    with_one = count_queries(client, url)

    for _ in range(20):
        member_of(association)
        InvitationFactory(association=association, invited_by=actor)
    with_many = count_queries(client, url)

    assert with_one == with_many


def _projects_in_ivry(count: int, association) -> None:
    from tests.submissions.factories import MessageFactory, ProjectFactory

    traits = ["proposed", "coaching", "deposited", None]
    for number in range(count):
        trait = traits[number % len(traits)]
        project = ProjectFactory(association=association, **({trait: True} if trait else {}))
        MessageFactory(project=project)


@pytest.mark.parametrize("role", ["member", "officer", "coordinator"])
def test_each_roles_space_costs_the_same_with_one_or_many_projects(client, db, role):
    """/espace/ for a member, a chef de projet, the coordination: one project or forty."""
    from accounts.models import Commune

    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    association = AssociationFactory(commune=ivry)
    people = {
        "member": member_of(association),
        "officer": UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont")),
        "coordinator": UserFactory(coordinator=True),
    }
    client.force_login(people[role])
    _projects_in_ivry(1, association)
    with_one = count_queries(client, "/espace/")

    _projects_in_ivry(39, association)
    for _ in range(5):
        _projects_in_ivry(1, AssociationFactory(commune=ivry))
    with_many = count_queries(client, "/espace/")

    assert with_one == with_many


def test_the_coordinations_space_counts_what_waits_for_it_in_one_query(client, db):
    from accounts.models import Commune
    from tests.submissions.factories import ProjectFactory

    chevilly = Commune.objects.get(name="Chevilly-Larue")  # outside any contrat de ville
    for _ in range(2):
        ProjectFactory(
            association=AssociationFactory(commune=chevilly), commune=chevilly, proposed=True
        )
    # A draft: not counted.
    ProjectFactory(association=AssociationFactory(commune=chevilly), commune=chevilly)
    for trait, count in [("deposited", 3), ("eligible", 1), ("proposed", 1)]:
        for _ in range(count):
            ProjectFactory(association=AssociationFactory(), **{trait: True})
    client.force_login(UserFactory(coordinator=True))

    with CaptureQueriesContext(connection) as queries:
        text = client.get("/espace/").content.decode()

    assert "Projets à attribuer (2)" in text
    assert "Dossiers déposés à examiner (3)" in text
    assert "Dossiers recevables à retenir ou non pour l'audition (1)" in text
    counts = [q for q in queries.captured_queries if 'FROM "submissions_project"' in q["sql"]]
    assert len(counts) == 1
