"""The territory map and the open data page, in a real browser: axe-core, phone width, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NARROW_WIDTH, viewport_width
from tests.browser.test_accessibility import check_page
from tests.factories import commune
from tests.laureates.factories import LaureateFactory

pytestmark = pytest.mark.browser


def test_home_map_and_open_data_page(page, live_server, transactional_db):
    LaureateFactory.create_batch(3, public=True, commune=commune("94041"))
    LaureateFactory.create_batch(12, public=True, commune=commune("91027"))
    LaureateFactory(commune=commune("94081"))  # not public: counted nowhere

    page.goto(f"{live_server.url}/")
    check_page(page)  # desktop, then 320 px

    ivry = page.get_by_role("link", name="Ivry-sur-Seine : 3 lauréats")
    expect(ivry).to_have_count(1)
    expect(page.get_by_role("link", name="Athis-Mons : 12 lauréats")).to_have_count(1)
    expect(page.get_by_role("link", name="Vitry-sur-Seine : aucun lauréat")).to_have_count(1)
    expect(page.get_by_role("group", name="Carte des lauréats par commune")).to_be_visible()

    # The figures as a table, opened by keyboard.
    summary = page.get_by_text("Les mêmes chiffres dans un tableau")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Nombre de lauréats par commune")
    expect(table).to_be_visible()
    expect(
        table.get_by_role("row", name=re.compile(r"^Ivry-sur-Seine Seine Amont 3$"))
    ).to_be_visible()
    check_page(page)

    # A commune reached by keyboard shows its focus ring, and Enter opens its laureates.
    ivry.focus()
    outline = ivry.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/laureats/?commune=94041"

    # The map fits a phone screen.
    with viewport_width(page, NARROW_WIDTH):
        page.goto(f"{live_server.url}/")
        box = page.locator("svg.territory-map-svg").bounding_box()
        assert 0 < box["width"] <= NARROW_WIDTH

    page.goto(f"{live_server.url}/laureats/donnees/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes sur les lauréats")
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tous les lauréats en CSV").click()
    assert download.value.suggested_filename.startswith("laureats-label-actions-innovantes-")
