"""The follow-up of a laureate project, in a browser: the association and the coordination.

A member updates a milestone and hands in the interim report with a file; the
coordinator accepts it, then the final report, then marks the project « Réalisé ».
Every page met is checked with axe-core, at desktop width and at 320 px.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from laureates.enums import MilestoneStatus, ReportState
from submissions.enums import ProjectState
from tests.browser.conftest import (
    check_page,
    field,
    login,
)
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.followup_factories import (
    MilestoneFactory,
    ReportFactory,
    TrancheFactory,
    followup_laureate,
    in_days,
)

pytestmark = pytest.mark.browser

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _world():
    laureate = followup_laureate(
        association=AssociationFactory(name="Les Jardins du Port"), title="Jardin partagé"
    )
    TrancheFactory(laureate=laureate, amount=3000, due_on=in_days(-5))
    TrancheFactory(laureate=laureate, amount=2000, due_on=in_days(90), paid_on=None)
    milestone = MilestoneFactory(laureate=laureate, title="Premier atelier", planned_on=in_days(-1))
    MilestoneFactory(laureate=laureate, title="Fête de quartier", planned_on=in_days(60))
    interim = ReportFactory(laureate=laureate, due_on=in_days(3))
    final = ReportFactory(laureate=laureate, final=True, due_on=in_days(120))
    late = followup_laureate(title="Repair café")
    ReportFactory(laureate=late, due_on=in_days(-10))
    return laureate, milestone, interim, final


def test_followup_pages_pass_axe_for_the_member_and_the_coordinator(
    page, new_person_page, live_server, transactional_db
):
    laureate, _milestone, interim, _final = _world()
    member = member_of(laureate.association)
    coordinator = UserFactory(coordinator=True)
    followup_url = live_server.url + reverse("laureates:followup", args=[laureate.pk])

    login(page, live_server, member.email)
    page.goto(followup_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Suivi du projet « Jardin partagé »")
    expect(page.get_by_role("note").first).to_contain_text("En retard")
    check_page(page)
    page.goto(live_server.url + interim.get_absolute_url())
    check_page(page)

    coordination = new_person_page()
    login(coordination, live_server, coordinator.email)
    coordination.goto(followup_url)
    expect(coordination.get_by_role("link", name="Ajouter une tranche")).to_be_visible()
    check_page(coordination)
    coordination.goto(live_server.url + reverse("laureates:followup_overview"))
    rows = coordination.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Repair café")  # the most overdue first
    expect(rows.nth(1)).to_contain_text("1 bilan non remis")
    check_page(coordination)
    coordination.get_by_label("En retard seulement").check()
    coordination.get_by_role("button", name="Filtrer").click()
    expect(coordination.get_by_role("status")).to_have_text("2 projets en suivi.")
    coordination.goto(
        live_server.url + reverse("laureates:followup_item_add", args=[laureate.pk, "tranches"])
    )
    check_page(coordination)


def test_from_a_milestone_to_the_project_completed(
    page, new_person_page, live_server, transactional_db
):
    laureate, milestone, interim, final = _world()
    member = member_of(laureate.association)
    coordinator = UserFactory(coordinator=True)
    followup_url = live_server.url + reverse("laureates:followup", args=[laureate.pk])

    # The member says where the first workshop stands.
    login(page, live_server, member.email)
    page.goto(followup_url)
    card = page.locator(f"#etape-{milestone.pk}")
    field(card, "Avancement").select_option(label="Fait")
    field(card, "Commentaire").fill("Quarante familles sont venues.")
    card.get_by_role("button", name="Enregistrer l'étape « Premier atelier »").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Étape « Premier atelier » enregistrée."
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.note) == (
        MilestoneStatus.DONE,
        "Quarante familles sont venues.",
    )

    # …then writes the interim report with an attendance sheet, and hands it in.
    _write_and_hand_in(page, live_server, interim, "Douze ateliers, quarante familles.")
    expect(page.get_by_role("link", name="emargement.png")).to_be_visible()
    check_page(page)

    coordination = new_person_page()
    login(coordination, live_server, coordinator.email)
    _accept(coordination, live_server, interim)
    _write_and_hand_in(page, live_server, final, "Le jardin est ouvert à tous.")
    _accept(coordination, live_server, final)

    coordination.goto(followup_url)
    coordination.get_by_role("link", name="Marquer réalisé").click()
    expect(coordination.get_by_role("heading", level=1)).to_have_text(
        "Marquer « Jardin partagé » réalisé ?"
    )
    check_page(coordination)
    coordination.get_by_role("button", name="Marquer réalisé").click()
    expect(
        coordination.get_by_text("Le projet est réalisé : son suivi est terminé.")
    ).to_be_visible()
    laureate.project.refresh_from_db()
    assert laureate.project.state == ProjectState.COMPLETED

    page.goto(followup_url)
    expect(page.get_by_text("Réalisé", exact=True)).to_be_visible()


def _write_and_hand_in(page, live_server, report, text):
    page.goto(live_server.url + report.get_absolute_url())
    field(page, "Votre bilan").fill(text)
    field(page, "Ajouter une pièce jointe").set_input_files(
        {"name": "emargement.png", "mimeType": "image/png", "buffer": PNG_BYTES}
    )
    page.get_by_role("button", name="Enregistrer et remettre le bilan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remettre le bilan")
    page.get_by_role("button", name="Remettre le bilan").click()
    expect(page.get_by_role("status").first).to_contain_text("Bilan remis à la coordination.")
    report.refresh_from_db()
    assert (report.state, report.text) == (ReportState.SUBMITTED, text)


def _accept(page, live_server, report):
    page.goto(live_server.url + report.get_absolute_url())
    expect(page.get_by_role("link", name="emargement.png")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Accepter le bilan").click()
    expect(page.get_by_role("status").first).to_contain_text("Bilan accepté.")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
