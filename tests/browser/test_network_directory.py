"""The network directory in a browser: a laureate association shares its contact with the
network's members only; a visitor does not see it, another member does.

Every page is checked with axe-core at a desktop and at a phone-sized viewport.
"""

import pytest
from playwright.sync_api import expect

from accounts.models import Commune
from network.models import NetworkMember
from tests.browser.conftest import (
    check_page,
    field,
    login,
)
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.browser


def test_a_member_shares_its_contact_with_the_network_only(
    page, new_person_page, live_server, transactional_db
):
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    jardins = AssociationFactory(name="Les Jardins d'Ivry", commune=ivry)
    # The card's creation makes the association a member of the network (after the commit).
    LaureateFactory(public=True, association=jardins, commune=ivry, title="Potager partagé")
    orly = Commune.objects.get(name="Orly")
    other = AssociationFactory(name="Théâtre des Cités", commune=orly)
    LaureateFactory(public=True, association=other, commune=orly, title="Théâtre de rue")
    NetworkMemberFactory(name="Centre social Balzac", commune=ivry)
    member = member_of(jardins, email="awa@exemple.test")
    insider = member_of(other, email="insider@exemple.test")
    assert NetworkMember.objects.filter(association=jardins).exists()

    # The member edits its profile from its network space, by keyboard where it matters.
    login(page, live_server, member.email)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Mon réseau : profil dans l'annuaire et rencontres").click()
    check_page(page)
    page.get_by_role("link", name="Modifier le profil et qui le voit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Profil du réseau : Les Jardins d'Ivry"
    )
    expect(
        page.get_by_text("Personne ne voit (hors la coordination) : le contact.")
    ).to_be_visible()
    check_page(page)
    field(page, "Personne à contacter").fill("Awa Diallo")
    field(page, "E-mail de contact").fill("contact@jardins.test")
    contact = page.get_by_role("group", name="Qui voit le contact (nom, e-mail, téléphone) ?")
    members_only = contact.get_by_label("Les membres du réseau connectés")
    members_only.focus()
    page.keyboard.press("Space")
    expect(members_only).to_be_checked()
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Profil du réseau enregistré.")).to_be_visible()
    page.get_by_role("link", name="Modifier le profil et qui le voit").click()
    expect(
        page.get_by_text("Les membres du réseau connectés voient en plus : le contact.")
    ).to_be_visible()

    # A visitor: the directory and the member's page, without the contact.
    visitor = new_person_page()
    visitor.goto(f"{live_server.url}/reseau/")
    expect(
        visitor.get_by_role("heading", name="Le réseau des acteurs de l'innovation")
    ).to_be_visible()
    check_page(visitor)
    field(visitor, "Commune").select_option(label="Ivry-sur-Seine")
    visitor.get_by_role("button", name="Afficher les membres").click()
    expect(visitor.get_by_role("status")).to_have_text("2 membres pour votre recherche.")
    visitor.get_by_role("link", name="Les Jardins d'Ivry").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Les Jardins d'Ivry")
    expect(visitor.get_by_role("link", name="Potager partagé")).to_be_visible()
    expect(visitor.get_by_text("contact@jardins.test")).to_have_count(0)
    check_page(visitor)

    # Another member of the network, signed in: the contact, marked as shared with members.
    other_page = new_person_page()
    login(other_page, live_server, insider.email)
    other_page.goto(f"{live_server.url}/reseau/")
    card = other_page.get_by_role("article").filter(has_text="Les Jardins d'Ivry")
    expect(card.get_by_role("link", name="contact@jardins.test")).to_be_visible()
    expect(card).to_contain_text("(visible des membres du réseau)")
    check_page(other_page)
    card.get_by_role("link", name="Les Jardins d'Ivry").click()
    expect(other_page.get_by_role("link", name="contact@jardins.test")).to_be_visible()


def test_the_coordination_lists_adds_and_syncs_members(page, live_server, transactional_db):
    coordinator = UserFactory(coordinator=True, email="coordination@exemple.test")
    NetworkMemberFactory(name="Partenaire ancien", is_active=False)
    login(page, live_server, coordinator.email)

    page.goto(f"{live_server.url}/espace/reseau/")
    page.get_by_role("link", name="Membres du réseau").click()
    check_page(page)
    page.get_by_role("button", name="Mettre à jour depuis les lauréats").click()
    expect(
        page.get_by_text("Chaque association lauréate est déjà membre du réseau.")
    ).to_be_visible()

    page.get_by_role("link", name="Ajouter un membre").click()
    check_page(page)
    field(page, "Nom").fill("Maison des habitants")
    field(page, "Type").select_option(label="Structure de proximité")
    page.get_by_role("button", name="Ajouter au réseau").click()
    expect(page.get_by_text("« Maison des habitants » a rejoint le réseau.")).to_be_visible()
    table = page.get_by_role("table", name="Les membres du réseau")
    expect(table.get_by_role("row")).to_have_count(3)
    field(page, "Membres").select_option(label="Désactivés")
    page.get_by_role("button", name="Filtrer").click()
    expect(table.get_by_role("rowheader")).to_have_text(["Partenaire ancien"])
