"""A coordinator reviews an edition's cards, edits one with its photo, publishes the showcase."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from laureates.models import Laureate
from submissions.enums import EditionState, ProjectState
from tests.browser.conftest import (
    NARROW_WIDTH,
    assert_no_horizontal_scroll,
    axe_check,
    field,
    login,
    viewport_width,
)
from tests.factories import UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser


def check_page(page) -> None:
    """axe-core at desktop width, then at phone width without sideways scrolling."""
    __tracebackhide__ = True
    axe_check(page)
    with viewport_width(page, NARROW_WIDTH):
        assert_no_horizontal_scroll(page)
        axe_check(page)


def photo_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (2000, 1000), (30, 140, 90)).save(output, format="JPEG")
    return output.getvalue()


def test_a_coordinator_reviews_edits_and_publishes_an_edition(page, live_server, transactional_db):
    edition = EditionFactory(state=EditionState.ARCHIVED, year=2025)
    garden = ProjectFactory(
        complete=True, edition=edition, state=ProjectState.LAUREATE, title="Jardin des Lilas"
    )
    ProjectFactory(
        complete=True, edition=edition, state=ProjectState.LAUREATE, title="Fresque du marché"
    )
    coordinator = UserFactory(coordinator=True, email="coordination@exemple.test")

    login(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/espace/laureats/vitrines/")
    check_page(page)
    page.get_by_role("link", name="Projets primés en 2025").click()
    expect(page.get_by_role("heading", name="2 projets lauréats sans fiche")).to_be_visible()
    page.get_by_role("button", name="Créer les fiches").click()
    expect(page.get_by_text("2 fiches créées.")).to_be_visible()
    check_page(page)

    # The card of the garden: a photo, its description, then back to the edition.
    page.get_by_role("link", name="Modifier : Jardin des Lilas").click()
    check_page(page)
    field(page, "Photo").set_input_files(
        {"name": "jardin.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
    )
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Décrivez la photo en quelques mots")).to_be_visible()
    check_page(page)
    expect(field(page, "Titre public")).to_have_value("Jardin des Lilas")
    field(page, "Photo").set_input_files(
        {"name": "jardin.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
    )
    field(page, "Description de la photo").fill("Des voisins plantent des tomates.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Fiche enregistrée.")).to_be_visible()

    # Only the garden is ready: the showcase publishes it, the other stays hidden.
    page.get_by_role("button", name="Marquer prête : Jardin des Lilas").click()
    expect(page.get_by_text("Fiche prête : elle sera publiée avec la vitrine.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Publier la vitrine").click()
    check_page(page)
    page.get_by_role("button", name="Publier la vitrine").click()
    expect(
        page.get_by_text("1 fiche publiée ; 1 fiche pas encore prête, restée cachée.")
    ).to_be_visible()

    card = Laureate.objects.get(project=garden)
    assert card.is_public is True
    # The public now reads the card, with its photo and its description.
    page.goto(live_server.url + card.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(card.title)
    expect(page.get_by_role("img", name="Des voisins plantent des tomates.")).to_be_visible()
    photo = page.request.get(live_server.url + card.photo_url)
    assert (photo.status, photo.headers["content-type"]) == (200, "image/jpeg")
    # The card not ready stays out of sight.
    hidden = Laureate.objects.exclude(pk=card.pk).get()
    assert hidden.is_public is False
    missing = page.goto(f"{live_server.url}/laureats/{hidden.year}/{hidden.slug}/")
    assert missing is not None and missing.status == 404


def test_a_member_edits_the_card_by_keyboard(page, live_server, transactional_db):
    edition = EditionFactory(state=EditionState.ARCHIVED, year=2024)
    project = ProjectFactory(
        complete=True, edition=edition, state=ProjectState.LAUREATE, title="Repair café"
    )
    from laureates.services.cards import cards_create

    cards_create(edition=edition, actor=UserFactory(coordinator=True))
    member = member_of(project.association, email="asso@exemple.test")
    card = Laureate.objects.get(project=project)

    login(page, live_server, member.email)
    page.goto(f"{live_server.url}/espace/laureats/{card.pk}/fiche/")
    check_page(page)
    expect(page.get_by_text("Montant accordé")).to_have_count(0)
    title = field(page, "Titre public")
    title.focus()
    title.fill("Le repair café des Navigateurs")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Fiche enregistrée.")).to_be_visible()
    card.refresh_from_db()
    assert card.title == "Le repair café des Navigateurs"
