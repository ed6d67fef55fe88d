"""Exports in a browser: a person downloads their data from « Mes données »; a coordinator builds
an export of projects in the background and downloads it. Pages checked with axe-core.
"""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from coordination import exports
from core import files
from core.models import BackgroundFile
from tests.browser.conftest import (
    check_page,
    login,
)
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser


class _Later:
    """Stands for the task queue: the file waits until the test builds it."""

    queued: list[int] = []

    @classmethod
    def enqueue(cls, file_id):
        cls.queued.append(file_id)


def test_a_member_downloads_their_data_and_the_page_follows_the_preparation(
    page, live_server, transactional_db, monkeypatch
):
    member = member_of(AssociationFactory(name="Les Voisins d'Ivry"), first_name="Awa")
    ProjectFactory(association=member.memberships.get().association, title="Cuisine du monde")
    monkeypatch.setattr(files, "build_file_task", _Later)
    _Later.queued = []

    login(page, live_server, member.email)
    page.goto(live_server.url + reverse("privacy:data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données personnelles")
    check_page(page)
    page.get_by_role("button", name="Préparer l'archive de mes données").click()
    box = page.locator(".background-file")
    expect(box).to_contain_text("En attente, 0 / 9")
    expect(box.get_by_role("link", name="Actualiser")).to_be_visible()
    check_page(page)

    # The worker builds it: the page shows the link by itself, without a reload.
    files.file_build(_Later.queued[0])
    link = box.get_by_role("link", name="Télécharger")
    expect(link).to_be_visible(timeout=8_000)
    check_page(page)
    with page.expect_download() as download_info:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    data = json.loads(archive.read("donnees.json"))
    assert data["profil"]["prenom"] == "Awa"
    assert [p["titre"] for p in data["projets"]] == ["Cuisine du monde"]


def test_a_coordinator_builds_a_large_export_and_downloads_it(
    page, live_server, transactional_db, monkeypatch
):
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 1)
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory(year=2026)
    ProjectFactory(proposed=True, edition=edition, title="=1+2")
    ProjectFactory(proposed=True, edition=edition, title="Jardin partagé")

    login(page, live_server, coordinator.email)
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exports")
    check_page(page)
    page.get_by_role("combobox", name="Édition").select_option(
        label="Label Actions Innovantes 2026"
    )
    page.get_by_role("checkbox", name="Commune").uncheck()
    page.get_by_label("Excel (XLSX)").check()
    page.get_by_role("button", name="Exporter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Export en arrière-plan")
    link = page.get_by_role("link", name="Télécharger projets-2026.xlsx")
    expect(link).to_be_visible()
    check_page(page)
    with page.expect_download() as download_info:
        link.click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    assert "Titre" in header and "Commune" not in header
    titles = {row[header.index("Titre")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"'=1+2", "Jardin partagé"}
    assert BackgroundFile.objects.get().owner == coordinator
    page.goto(live_server.url + reverse("coordination:exports"))
    expect(page.get_by_role("link", name="Télécharger projets-2026.xlsx")).to_be_visible()
    check_page(page)
