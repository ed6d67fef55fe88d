"""The dashboard in a browser: keyboard only, axe-core clean, on a desktop and a phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.demo import seed_people
from accounts.models import CityContract
from submissions.enums import EditionState
from submissions.models import Edition
from tests.browser.conftest import (
    NARROW_WIDTH,
    assert_no_horizontal_scroll,
    axe_check,
    login,
    viewport_width,
)
from tests.factories import AssociationFactory
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser


def _world() -> Edition:
    """The demo's people, last year's edition and this year's, with projects at several stages."""
    seed_people()
    EditionFactory(year=2030, state=EditionState.ARCHIVED)
    current = EditionFactory(year=2031, open=True, budget_envelope=50000)
    ivry = AssociationFactory()
    for trait in ("proposed", "coaching", "deposited", "eligible", "shortlisted"):
        ProjectFactory(association=ivry, complete=True, **{trait: True})
    return current


def _check(page) -> None:
    __tracebackhide__ = True
    axe_check(page)
    with viewport_width(page, NARROW_WIDTH):
        assert_no_horizontal_scroll(page)
        axe_check(page)


def test_a_coordinator_steers_the_edition_from_the_dashboard(page, live_server, transactional_db):
    current = _world()
    first_contract = CityContract.objects.order_by("departement", "short_name").first()
    login(page, live_server, "coordination@demo.test")

    page.get_by_role("link", name="Pilotage : tableau de bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Pilotage — tout le territoire, édition {current.year}"
    )
    funnel = page.get_by_role("img", name=re.compile("Du projet proposé au lauréat"))
    expect(funnel).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile("Du projet proposé au lauréat"))
    ).to_contain_text("Proposés")
    _check(page)

    # The previous edition and the first contrat de ville, chosen with the keyboard alone.
    page.get_by_label("Édition", exact=True).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Contrat de ville", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Afficher")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(
        f"/espace/pilotage/contrats/{first_contract.pk}/?edition={current.year - 1}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Pilotage — contrat de ville {first_contract.short_name}, édition {current.year - 1}"
    )
    _check(page)

    # Back to the whole territory from the breadcrumbs.
    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name="Pilotage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Pilotage — tout le territoire, édition {current.year - 1}"
    )


def test_a_chef_de_projet_opens_his_territory_on_a_phone(page, live_server, transactional_db):
    _world()
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, live_server, "chef.seine-amont@demo.test")

    page.get_by_role("link", name="Tableau de bord du territoire").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Pilotage — contrat de ville Seine Amont"
    )
    expect(page.get_by_label("Contrat de ville", exact=True)).to_have_count(0)
    # The tables scroll inside a labelled region that the keyboard reaches.
    region = page.get_by_role("region", name=re.compile("^Projets suivis"))
    expect(region).to_have_attribute("tabindex", "0")
    assert_no_horizontal_scroll(page)
    axe_check(page)
