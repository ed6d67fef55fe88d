"""A new association goes through the portal as a person would, in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, field
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

ASSOCIATION_NAME = "Les Tricoteuses du Port"
EMAIL = "nadia.haddad@exemple.test"
GOOD_PASSWORD = "un jardin sur le toit du gymnase"


def open_signup_from_home(page, live_server):
    page.goto(f"{live_server.url}/")
    axe_check(page)
    page.get_by_role("link", name="Créer un compte", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/compte/inscription/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Créer un compte pour votre association"
    )
    axe_check(page)


def fill_signup(page, *, password: str):
    field(page, "Prénom").fill("Nadia")
    field(page, "Nom").fill("Haddad")
    field(page, "Adresse e-mail").fill(EMAIL)
    field(page, "Mot de passe").fill(password)
    field(page, "Mot de passe, une seconde fois").fill(password)
    field(page, "Nom de votre association ou collectif").fill(ASSOCIATION_NAME)
    field(page, "Type de structure").select_option(label="Collectif d'habitants")
    field(page, "Commune du siège").select_option(label="Ivry-sur-Seine")
    page.get_by_label(re.compile(r"J'ai lu la page « Données personnelles »")).check()
    page.get_by_role("button", name="Créer mon compte").click()


def confirmation_link(live_server) -> str:
    assert len(mail.outbox) == 1, [message.subject for message in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    found = re.search(
        rf"{re.escape(live_server.url)}/compte/confirmer/[\w-]+/[\w-]+/", message.body
    )
    assert found, message.body
    return found.group(0)


def test_an_association_signs_up_confirms_and_completes_its_profile(
    page, live_server, transactional_db
):
    open_signup_from_home(page, live_server)
    fill_signup(page, password=GOOD_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    expect(page.get_by_text(EMAIL)).to_be_visible()
    axe_check(page)

    page.goto(confirmation_link(live_server))
    expect(page).to_have_url(f"{live_server.url}/compte/connexion/")
    expect(page.get_by_role("status")).to_contain_text(
        "Votre adresse est confirmée. Vous pouvez maintenant vous connecter."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    axe_check(page)

    field(page, "Adresse e-mail").fill(EMAIL)
    field(page, "Mot de passe").fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{live_server.url}/espace/")
    expect(page.get_by_role("heading", name=ASSOCIATION_NAME)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"^Modifier le profil")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Profil de {ASSOCIATION_NAME}")
    axe_check(page)

    field(page, "Numéro RNA").fill("W941234567")
    field(page, "Numéro SIRET").fill("732 829 320 00074")
    field(page, "Code postal").fill("94200")
    page.get_by_role("checkbox", name="Ivry Port (QN09408M)").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ASSOCIATION_NAME)
    expect(page.get_by_role("status")).to_contain_text("Le profil de l'association est enregistré.")
    identification = page.locator("dl")
    expect(identification).to_contain_text("W941234567")
    expect(identification).to_contain_text("73282932000074")
    expect(identification).to_contain_text("94200 Ivry-sur-Seine")
    expect(identification).to_contain_text("Ivry Port")
    axe_check(page)


def test_a_too_short_password_is_refused_and_the_rest_of_the_form_is_kept(
    page, live_server, transactional_db
):
    open_signup_from_home(page, live_server)
    fill_signup(page, password="court")

    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_text("Il doit contenir au minimum 12 caractères")).to_be_visible()
    expect(field(page, "Mot de passe, une seconde fois")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Prénom")).to_have_value("Nadia")
    expect(field(page, "Nom")).to_have_value("Haddad")
    expect(field(page, "Adresse e-mail")).to_have_value(EMAIL)
    expect(field(page, "Nom de votre association ou collectif")).to_have_value(ASSOCIATION_NAME)
    expect(field(page, "Type de structure").locator("option:checked")).to_have_text(
        "Collectif d'habitants"
    )
    expect(field(page, "Commune du siège").locator("option:checked")).to_have_text("Ivry-sur-Seine")
    expect(
        page.get_by_label(re.compile(r"J'ai lu la page « Données personnelles »"))
    ).to_be_checked()
    assert mail.outbox == []
    axe_check(page)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                    type: el.getAttribute('type') || ''};
        }"""
    )


def test_signing_in_with_the_keyboard_only(page, live_server, transactional_db):
    user = UserFactory(email="clavier@exemple.test")

    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Aller au contenu"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"

    page.goto(f"{live_server.url}/compte/connexion/")
    # The e-mail field has autofocus; otherwise Tab along until it has focus.
    for _ in range(40):
        if focused(page)["id"] == "id_username":
            break
        page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert focused(page) == {"tag": "button", "id": "", "text": "Se connecter", "type": "submit"}
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
