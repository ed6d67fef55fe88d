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
