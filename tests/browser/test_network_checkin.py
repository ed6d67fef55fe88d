"""The check-in at the door, on a phone: type a code, note a presence, download the sheet.

Every page visited passes axe-core at desktop width and at 320 px, and the
presence is noted by keyboard alone.
"""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.demo import seed_people
from network.enums import RegistrationState
from tests.browser.conftest import field, login
from tests.browser.test_accessibility import check_page
from tests.network.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.browser

COORDINATOR = "coordination@demo.test"
PHONE = {"width": 390, "height": 844}


def test_a_coordinator_checks_someone_in_on_a_phone_and_downloads_the_sheet(
    page, live_server, transactional_db
):
    seed_people()
    meeting = MeetingFactory(title="Rencontre du réseau 2026")
    awa = RegistrationFactory(
        meeting=meeting, first_name="Awa", last_name="Diallo", organisation="Jardins d'Ivry"
    )
    RegistrationFactory(meeting=meeting, first_name="Karim", last_name="Benali")
    RegistrationFactory(meeting=meeting, first_name="Zoé", last_name="Martin", attended=True)
    login(page, live_server, COORDINATOR)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/espace/reseau/rencontres/{meeting.pk}/emargement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Émargement")
    expect(page.locator("#compteurs")).to_have_text("1 présent·e sur 3 inscrit·es")
    check_page(page)

    # The code read from the person's phone, typed as it comes, then Enter.
    code_field = field(page, "Code d'émargement ou nom")
    code_field.fill(awa.checkin_code.lower().replace("-", " "))
    with page.expect_navigation():
        code_field.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Awa Diallo")
    check_page(page)

    # By keyboard: the button takes the focus and Enter presses it.
    button = page.get_by_role("button", name="Présent·e : Awa Diallo")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Présence notée : Awa Diallo.")).to_be_visible()
    expect(page.get_by_text("Déjà noté·e présent·e")).to_be_visible()
    check_page(page)
    awa.refresh_from_db()
    assert awa.state == RegistrationState.ATTENDED

    page.get_by_role("link", name="Retour à la liste d'émargement").click()
    expect(page.locator("#compteurs")).to_have_text("2 présent·es sur 3 inscrit·es")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la feuille d'émargement (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"feuille-emargement-{meeting.slug}.pdf"
    content = Path(download.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert text.index("BENALI Karim") < text.index("DIALLO Awa") < text.index("MARTIN Zoé")
    assert "Signature" in text


def test_a_name_search_notes_a_presence_from_the_list(page, live_server, transactional_db):
    seed_people()
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, first_name="Karim", last_name="Benali")
    RegistrationFactory(meeting=meeting, first_name="Awa", last_name="Diallo")
    login(page, live_server, COORDINATOR)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/espace/reseau/rencontres/{meeting.pk}/emargement/")

    field(page, "Code d'émargement ou nom").fill("benal")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("« benal » (1)")
    check_page(page)
    page.get_by_role("button", name="Présent·e : Karim Benali").click()

    expect(page.get_by_text("Présence notée : Karim Benali.")).to_be_visible()
    # Back to the same search, at the person.
    expect(page.get_by_role("heading", level=2)).to_contain_text("« benal » (1)")
    expect(page.get_by_role("button", name="Annuler l'émargement de Karim Benali")).to_be_visible()
    expect(
        page.get_by_role("link", name="Attestation de présence de Karim Benali (PDF)")
    ).to_be_visible()
    check_page(page)
