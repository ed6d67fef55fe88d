"""A laureate's space, its certificate and the public verification, in a real browser.

The member of a laureate association downloads the certificate (a real PDF
download) and the verification page confirms the code printed on it. Every
page visited passes axe-core at desktop width and at 320 px.
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.demo import seed_people
from accounts.models import Association
from submissions.enums import EditionState, ProjectState
from tests.browser.conftest import field, login
from tests.browser.test_accessibility import visit
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser

MEMBER = "asso.alpha@demo.test"
COORDINATOR = "coordination@demo.test"


def alpha_laureate():
    association = Association.objects.get(name__startswith="Association Alpha")
    edition = EditionFactory(
        year=2025,
        state=EditionState.ARCHIVED,
        results_published_at=timezone.make_aware(datetime.datetime(2025, 6, 20, 18, 0)),
    )
    project = ProjectFactory(association=association, edition=edition, state=ProjectState.LAUREATE)
    return LaureateFactory(
        project=project,
        association=association,
        edition=edition,
        title="Un potager partagé sur le toit du centre social",
        amount_granted=Decimal("4500"),
    )


def test_laureate_pages_pass_axe(page, live_server, transactional_db):
    seed_people()
    laureate = alpha_laureate()
    base = live_server.url

    # The public verification: form, a malformed code, an authentic and an unknown one.
    visit(page, f"{base}/laureats/verifier/")
    visit(page, f"{base}/laureats/verifier/?code=123", expected_status=400)
    expect(page.get_by_text("Ce code n'a pas la forme d'un code d'attestation")).to_be_visible()
    visit(page, f"{base}/laureats/verifier/{laureate.certificate_code}/")
    visit(page, f"{base}/laureats/verifier/2222-3333-4444/", expected_status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aucune attestation ne correspond à ce code"
    )

    # The member's list and the laureate's space; then the coordination's list.
    login(page, live_server, MEMBER)
    visit(page, f"{base}/espace/laureats/")
    visit(page, f"{base}/espace/laureats/{laureate.pk}/")
    expect(page.get_by_role("img", name=re.compile("Lauréat du Label Actions"))).to_be_visible()
    page.context.clear_cookies()
    login(page, live_server, COORDINATOR)
    visit(page, f"{base}/espace/laureats/?annee=2025")


def test_a_member_downloads_the_certificate_and_its_code_is_verified(
    page, new_person_page, live_server, transactional_db
):
    seed_people()
    laureate = alpha_laureate()
    login(page, live_server, MEMBER)

    # From the dashboard to the laureate's space, by links only.
    page.get_by_role("link", name="Mes projets lauréats").click()
    page.get_by_role("link", name="Un potager partagé sur le toit du centre social").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(laureate.title)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"attestation-label-2025-{laureate.slug}.pdf"
    content = Path(download.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    code = re.search(r"Code de vérification : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", text)[1]
    assert code == laureate.certificate_code

    # Someone who received the paper types the code as they read it.
    visitor = new_person_page()
    visitor.goto(f"{live_server.url}/laureats/verifier/")
    field(visitor, "Code de vérification").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Vérifier").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Cette attestation est authentique"
    )
    expect(visitor.get_by_text("Un potager partagé sur le toit du centre social")).to_be_visible()
    assert visitor.url == f"{live_server.url}/laureats/verifier/{code}/"
