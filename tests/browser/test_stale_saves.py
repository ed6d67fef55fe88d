"""The same form open in two tabs: the second save shows both versions and lets one choose.

« Remplacer par ma saisie » sits above the form and submits it through the
``form`` attribute: no JavaScript involved. Every page met is checked with axe-core.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jury import services as jury_services
from jury.models import Evaluation
from submissions import services
from submissions.models import Project
from tests.browser.conftest import (
    check_page,
    field,
    login,
)
from tests.factories import AssociationFactory, member_of
from tests.jury.factories import jury_session

pytestmark = pytest.mark.browser

CHOICE_HEADING = "Enregistré entre-temps : à vous de choisir"


def test_a_section_saved_in_two_tabs_shows_both_versions_then_replaces(
    page, live_server, transactional_db
):
    association = AssociationFactory()
    member = member_of(association, first_name="Marie", last_name="Dupont")
    project = services.project_create(association=association, actor=member, title="Jardin")
    login(page, live_server, member.email)
    url = live_server.url + reverse("submissions:project_section", args=[project.pk, "besoin"])
    second_tab = page.context.new_page()
    page.goto(url)
    second_tab.goto(url)

    field(page, "Le besoin dans le quartier").fill("Écrit dans le premier onglet.")
    page.get_by_role("button", name="Enregistrer et revenir au projet").click()
    field(second_tab, "Le besoin dans le quartier").fill("Écrit dans le second onglet.")
    second_tab.get_by_role("button", name="Enregistrer et revenir au projet").click()

    choice = second_tab.get_by_role("region", name=CHOICE_HEADING)
    expect(choice).to_contain_text("Enregistré par Marie D. à")
    expect(choice).to_contain_text("Écrit dans le premier onglet.")
    expect(choice).to_contain_text("Votre saisie : Écrit dans le second onglet.")
    expect(field(second_tab, "Le besoin dans le quartier")).to_have_value(
        "Écrit dans le second onglet."
    )
    check_page(second_tab)

    with second_tab.expect_navigation():
        choice.get_by_role("button", name="Remplacer par ma saisie").click()
    expect(second_tab.get_by_role("heading", level=1)).to_have_text("Jardin")
    assert Project.objects.get().need == "Écrit dans le second onglet."
    second_tab.close()


def test_a_first_evaluation_draft_saved_in_two_tabs_keeps_the_saved_one_on_request(
    page, live_server, transactional_db
):
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    jury_services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    login(page, live_server, juror.user.email)
    url = live_server.url + reverse("jury:evaluation", args=[jury.session.pk, project.pk])
    second_tab = page.context.new_page()
    page.goto(url)
    second_tab.goto(url)
    general = "Commentaire général"

    field(page, general).fill("Premier onglet.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    field(second_tab, general).fill("Second onglet.")
    second_tab.get_by_role("button", name="Enregistrer le brouillon").click()

    choice = second_tab.get_by_role("region", name=CHOICE_HEADING)
    expect(choice).to_contain_text("Enregistré par vous, dans un autre onglet")
    expect(choice).to_contain_text("Votre saisie : Second onglet.")
    check_page(second_tab)

    choice.get_by_role("link", name="Garder la version enregistrée").click()
    expect(field(second_tab, general)).to_have_value("Premier onglet.")
    assert Evaluation.objects.get().general_comment == "Premier onglet."
    second_tab.close()
