"""A member erases their account by keyboard; no page asks anything of another site."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from accounts.models import User
from submissions.models import Message
from tests.browser.conftest import axe_check, field, login
from tests.factories import PASSWORD, AssociationFactory, member_of
from tests.submissions.factories import MessageFactory, ProjectFactory

pytestmark = pytest.mark.browser

EMAIL = "samia.benali@exemple.test"
PUBLIC_PAGES = ["/", "/contrats-de-ville/", "/laureats/", "/reseau/", "/donnees-personnelles/"]


def record_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def elsewhere(urls: list[str], live_server) -> list[str]:
    """The requests that left the portal (data: URIs are in the page itself)."""
    own = urlparse(live_server.url).hostname
    return [
        url
        for url in urls
        if not url.startswith("data:") and urlparse(url).hostname not in {own, "127.0.0.1"}
    ]


def press_link(page, name: str) -> None:
    link = page.get_by_role("link", name=name, exact=True)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill_erase_form_by_keyboard(page, password: str) -> None:
    field(page, "Votre mot de passe").focus()
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    expect(
        page.get_by_label("J'ai compris : mon compte sera supprimé pour toujours.")
    ).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Supprimer mon compte")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_member_erases_their_account_by_keyboard(page, live_server, transactional_db):
    member = member_of(AssociationFactory(), email=EMAIL, first_name="Samia")
    project = ProjectFactory(association=member.associations.get(), proposed=True)
    message = MessageFactory(project=project, author=member, body="Bonjour, voici notre idée.")
    requests = record_requests(page)
    login(page, live_server, EMAIL)

    press_link(page, "Mes données personnelles")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données personnelles")
    expect(page.get_by_role("row", name="Messages écrits aux chefs de projet 1")).to_be_visible()
    axe_check(page)

    press_link(page, "Supprimer mon compte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte ?")
    expect(page.get_by_text("Votre nom y est remplacé par « Compte supprimé »")).to_be_visible()
    axe_check(page)

    # A wrong password: the page again, saying why; nothing is erased.
    fill_erase_form_by_keyboard(page, "pas le bon mot de passe")
    expect(page.get_by_text("Ce mot de passe n'est pas le bon")).to_be_visible()
    expect(field(page, "Votre mot de passe")).to_have_value("")
    axe_check(page)
    assert User.objects.get(pk=member.pk).erased_at is None

    page.get_by_label("J'ai compris : mon compte sera supprimé pour toujours.").uncheck()
    fill_erase_form_by_keyboard(page, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("Votre compte est supprimé.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    axe_check(page)
    erased = User.objects.get(pk=member.pk)
    assert (erased.get_full_name(), erased.is_active) == ("Compte supprimé", False)
    assert Message.objects.get(pk=message.pk).body == "Bonjour, voici notre idée."
    assert elsewhere(requests, live_server) == []


def test_public_pages_request_nothing_from_another_site(page, live_server, transactional_db):
    requests = record_requests(page)

    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert len(requests) > len(PUBLIC_PAGES)  # the pages' own styles, scripts and images
    assert elsewhere(requests, live_server) == []
