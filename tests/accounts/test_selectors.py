from accounts import selectors
from tests.factories import AssociationFactory, member_of
from tests.utils import page


def test_associations_of_member_count_every_member(client, db):
    association = AssociationFactory(name="Les Voisins")
    member = member_of(association)
    member_of(association)
    member_of(AssociationFactory())

    counts = [(a.name, a.member_count) for a in selectors.associations_of_member(member)]

    assert counts == [("Les Voisins", 2)]


def test_dashboard_says_two_members_for_an_association_of_two(client, db):
    association = AssociationFactory(name="Les Voisins")
    member = member_of(association)
    member_of(association)
    client.force_login(member)

    text = page(client.get("/espace/"))

    assert "Ivry-sur-Seine — 2 membres</p>" in text


def test_dashboard_says_one_member_in_the_singular(client, db):
    client.force_login(member_of(AssociationFactory()))

    text = page(client.get("/espace/"))

    assert "Ivry-sur-Seine — 1 membre</p>" in text
