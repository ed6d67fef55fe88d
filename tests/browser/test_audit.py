"""A coordinator reads the audit trail in a browser, with the keyboard only.

She opens the journal from her space, filters it by person and by date
(native select and date fields), opens one entry, and exports what the
filters keep. Every page met is checked with axe-core, at desktop width and at
320 px.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.workflow import record
from submissions.enums import ProjectState
from submissions.workflows import PROJECT
from tests.browser.conftest import (
    check_page,
    field,
    login,
)
from tests.factories import UserFactory
from tests.submissions.factories import ProjectFactory

pytestmark = pytest.mark.browser


def test_a_coordinator_filters_the_trail_opens_an_entry_and_exports_it(
    page, live_server, transactional_db
):
    coordinator = UserFactory(coordinator=True, first_name="Claire", last_name="Moreau")
    awa = UserFactory(first_name="Awa", last_name="Diallo")
    project = ProjectFactory(eligible=True, title="Jardin partagé")
    record(
        PROJECT,
        project,
        "declare_eligible",
        actor=awa,
        reason="Pièces complètes.",
        from_state=ProjectState.DEPOSITED,
        to_state=ProjectState.ELIGIBLE,
    )
    login(page, live_server, coordinator.email)

    page.goto(live_server.url + reverse("dashboard"))
    page.get_by_role("link", name="Journal", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des événements")
    # Her own sign-in is in the trail too.
    expect(page.get_by_text("Claire Moreau a ouvert une session")).to_be_visible()
    check_page(page)

    # The people come by name: Awa Diallo is the first after « Toutes ».
    field(page, "Personne").focus()
    page.keyboard.press("ArrowDown")
    today = timezone.localdate()
    # From the 1st of January: in an empty date field, the up arrow gives each part
    # (day, month) its first value and the year the current one, whatever their order.
    field(page, "Du").focus()
    for _part in range(3):
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Filtrer").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    sentence = "Awa Diallo a fait passer le projet « Jardin partagé » de Déposé à Recevable"
    expect(page.get_by_role("status")).to_have_text("1 entrée.")
    expect(page.get_by_role("rowheader", name=sentence)).to_be_visible()
    expect(page.get_by_text("Claire Moreau a ouvert une session")).to_have_count(0)
    expect(field(page, "Du")).to_have_value(f"{today.year}-01-01")
    check_page(page)

    page.get_by_role("link", name=re.compile(r"^Entrée n° \d+$")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("du journal")
    expect(page.get_by_text(f"{sentence}.")).to_be_visible()
    expect(page.get_by_text("Pièces complètes.")).to_be_visible()
    state_row = page.get_by_role("row", name="État Déposé Recevable")
    expect(state_row).to_be_visible()
    check_page(page)

    page.go_back()
    page.get_by_role("button", name="Exporter en CSV").focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == f"journal-{today:%Y-%m-%d}.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert sentence in content
    assert "ouvert une session" not in content
