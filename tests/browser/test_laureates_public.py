"""A visitor browses the laureates: filters, search, a project, an edition, the home page.

Every page is checked with axe-core at a desktop and at a phone-sized viewport.
The filters work by keyboard alone, and without JavaScript as a plain GET form.
"""

import contextlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import Commune
from submissions.enums import EditionState, Theme
from tests.browser.conftest import VIEWPORT, assert_no_horizontal_scroll, axe_check, field
from tests.laureates.factories import LaureateFactory, ShowcaseFactory
from tests.submissions.factories import EditionFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def make_laureates():
    ivry = Commune.objects.get(insee="94041")
    vitry = Commune.objects.get(insee="94081")
    ed2024 = EditionFactory(year=2024, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=ed2024, published=True, intro="Huit projets pour les quartiers.")
    ed2023 = EditionFactory(year=2023, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=ed2023, published=True, projects_received=31)
    cards = [
        (ed2024, "Des devoirs faits ensemble", ivry, Theme.EDUCATION, "Aide aux devoirs, le soir."),
        (ed2024, "Théâtre de rue", vitry, Theme.CULTURE, "Des spectacles joués par les habitants."),
        (
            ed2023,
            "Contes au pied des tours",
            vitry,
            Theme.CULTURE,
            "Des conteurs en bas des tours.",
        ),
        (ed2023, "Potager des Combattants", vitry, Theme.ENVIRONMENT, "Un jardin partagé."),
    ]
    for edition, title, commune, theme, pitch in cards:
        LaureateFactory(
            public=True,
            edition=edition,
            title=title,
            commune=commune,
            themes=[theme],
            pitch=pitch,
            website="https://exemple.test/projet/une-adresse-assez-longue-pour-un-telephone",
        )


@contextlib.contextmanager
def phone(page):
    page.set_viewport_size(PHONE)
    try:
        yield
    finally:
        page.set_viewport_size(VIEWPORT)


def check_page(page) -> None:
    """axe-core at the desktop width, then at a phone's, where nothing scrolls sideways."""
    __tracebackhide__ = True
    axe_check(page)
    with phone(page):
        assert_no_horizontal_scroll(page)
        axe_check(page)


def status(page):
    return page.locator("#nombre-resultats")


def query_of(href: str) -> dict:
    return parse_qs(urlsplit(href).query)


def test_visitor_filters_searches_and_opens_a_project(page, live_server, transactional_db):
    make_laureates()
    page.goto(f"{live_server.url}/laureats/")
    expect(status(page)).to_have_text("4 lauréats.")
    check_page(page)

    # Each choice refreshes the results in place and goes into the address.
    field(page, "Commune").select_option(label="Vitry-sur-Seine")
    expect(status(page)).to_have_text("3 lauréats pour votre recherche.")
    expect(page).to_have_url(re.compile(r"commune=94081"))
    field(page, "Thème").select_option(label="Culture")
    expect(status(page)).to_have_text("2 lauréats pour votre recherche.")
    field(page, "Rechercher").fill("conteur")
    field(page, "Rechercher").press("Enter")
    expect(status(page)).to_have_text("1 lauréat pour votre recherche.")
    results = page.locator("#resultats")
    expect(results.get_by_role("heading", level=3)).to_have_text(["Contes au pied des tours"])
    expect(page).to_have_url(re.compile(r"q=conteur"))
    # The search field keeps the focus: nothing moved under the visitor's feet.
    expect(field(page, "Rechercher")).to_be_focused()

    # The open data link carries the same filters.
    csv = page.get_by_role("link", name="télécharger au format CSV")
    href = csv.get_attribute("href")
    assert urlsplit(href).path == "/laureats/export.csv"
    assert query_of(href) == {"q": ["conteur"], "commune": ["94081"], "theme": ["culture"]}
    check_page(page)

    # The address found is a bookmark: opened anew, it shows the same.
    page.goto(page.url)
    expect(status(page)).to_have_text("1 lauréat pour votre recherche.")

    results.get_by_role("link", name="Contes au pied des tours").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contes au pied des tours")
    expect(page).to_have_url(f"{live_server.url}/laureats/2023/contes-au-pied-des-tours/")
    check_page(page)

    page.get_by_role("link", name="Les projets primés en 2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projets primés en 2023")
    check_page(page)

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Derniers lauréats")).to_be_visible()
    check_page(page)


def test_filters_by_keyboard_only(page, live_server, transactional_db):
    make_laureates()
    page.goto(f"{live_server.url}/laureats/")

    search = field(page, "Rechercher")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    expect(search).to_be_focused()
    page.keyboard.type("theatre")
    page.keyboard.press("Tab")
    expect(field(page, "Année")).to_be_focused()
    page.keyboard.press("Tab")
    expect(field(page, "Commune")).to_be_focused()
    page.keyboard.type("Vitry")
    expect(field(page, "Commune")).to_have_value("94081")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(field(page, "Thème")).to_be_focused()
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Afficher les projets")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    expect(status(page)).to_have_text("1 lauréat pour votre recherche.")
    expect(page.locator("#resultats").get_by_role("heading", level=3)).to_have_text(
        ["Théâtre de rue"]
    )
    expect(button).to_be_focused()


def test_filters_work_without_javascript(browser, live_server, transactional_db):
    make_laureates()
    context = browser.new_context(locale="fr-FR", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/laureats/")
        field(page, "Commune").select_option(label="Vitry-sur-Seine")
        field(page, "Thème").select_option(label="Environnement et cadre de vie")
        with page.expect_navigation():
            page.get_by_role("button", name="Afficher les projets").click()

        assert query_of(page.url)["commune"] == ["94081"]
        expect(status(page)).to_have_text("1 lauréat pour votre recherche.")
        expect(page.get_by_role("link", name="Potager des Combattants")).to_be_visible()
        assert_no_horizontal_scroll(page)
    finally:
        context.close()
