"""Notifications in a browser: a member reads one and changes a choice by keyboard; a
coordinator previews a mailing, sends it, sees what was sent to whom, and sends again a
mail the mail server refused.

Every page is checked with axe-core at a desktop and at a phone-sized viewport.
"""

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.mail import send_due
from core.models import MailStatus, OutgoingMail
from notifications import services
from notifications.models import Mailing, NotificationPreference
from tests.browser.conftest import (
    check_page,
    login,
)
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser

FAILING_MAILERS = {
    "default": {"BACKEND": "tests.notifications.backends.FailingForSomeBackend", "OPTIONS": {}}
}


def test_a_member_reads_a_notification_and_chooses_the_digest_by_keyboard(
    page, live_server, transactional_db
):
    association = AssociationFactory(name="Les Ateliers du Port")
    member = member_of(association, email="awa@exemple.test")
    project = ProjectFactory(association=association, coaching=True, title="Cuisines du monde")
    services.notify(
        kind="message",
        users=[member],
        title="Nouveau message : Cuisines du monde",
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        context={"project": project, "project_url": f"{live_server.url}/"},
    )

    login(page, live_server, member.email)
    page.get_by_role("link", name="Notifications : 1 non lue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    expect(page.get_by_text("1 notification non lue, en tête de liste.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Nouveau message : Cuisines du monde").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cuisines du monde")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.get_by_role("link", name="Notifications", exact=True).click()
    page.get_by_role("link", name="Choisir comment recevoir mes notifications par mail").click()
    check_page(page)
    group = page.get_by_role("group", name="Messages des projets")
    group.get_by_role("radio", name="Immédiatement").focus()
    page.keyboard.press("ArrowDown")
    expect(group.get_by_role("radio", name="Dans le résumé quotidien")).to_be_checked()
    page.get_by_role("button", name="Enregistrer mes choix").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Vos choix de notifications sont enregistrés.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Messages des projets").get_by_role(
            "radio", name="Dans le résumé quotidien"
        )
    ).to_be_checked()
    expect(page.get_by_text("Accusé de dépôt : obligatoire.")).to_be_visible()
    assert NotificationPreference.objects.get(user=member, kind="message").delivery == "digest"


def test_a_coordinator_previews_and_sends_a_mailing(page, live_server, transactional_db, settings):
    settings.MAILERS = FAILING_MAILERS
    coordinator = UserFactory(coordinator=True, email="coordination@exemple.test")
    EditionFactory(open=True, year=2026)
    for email, title in (
        ("awa@exemple.test", "Cuisines du monde"),
        ("panne@exemple.test", "Jardin"),
    ):
        project = ProjectFactory(coaching=True, complete=True, title=title)
        member_of(project.association, email=email, first_name="Awa")

    login(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Envois groupés : résultats et relances").click()
    check_page(page)
    page.get_by_role("button", name="Préparer la relance des dossiers non déposés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Relance : dossiers pas encore déposés (édition 2026)"
    )
    expect(page.get_by_role("heading", name="Messages à relire")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Rappel : déposez « Cuisines du monde »", exact=False).click()
    expect(page.get_by_text("Bonjour Awa,")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Retour à l'envoi").click()
    assert mail.outbox == []

    page.get_by_role("link", name="Envoyer « Relance").click()
    expect(page.get_by_text("2 destinataires.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("heading", name="Ce qui a été envoyé à qui")).to_be_visible()
    # The mail the server refused is not lost: it waits for another try.
    expect(page.get_by_text("2 destinataires : 1 mail envoyé, 1 en attente.")).to_be_visible()
    expect(page.get_by_text("En attente après 1 essai", exact=False)).to_be_visible()
    check_page(page)
    assert [message.to for message in mail.outbox] == [["awa@exemple.test"]]
    assert Mailing.objects.get().state == "sent"

    # The server keeps refusing it: the retry job gives up after its last try.
    waiting = OutgoingMail.objects.get(status=MailStatus.QUEUED)
    while waiting.status == MailStatus.QUEUED:
        send_due(now=waiting.next_attempt_at)
        waiting.refresh_from_db()
    assert waiting.status == MailStatus.FAILED
    page.get_by_role("link", name="Envois groupés", exact=True).first.click()
    expect(page.get_by_text("1 mail en échec", exact=False)).to_be_visible()
    page.get_by_role("link", name="Voir les mails en attente ou en échec").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mails en attente ou en échec")
    check_page(page)

    # The server is repaired: the coordinator sends it again, and it leaves.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    page.get_by_role("button", name="Renvoyer le mail à panne@exemple.test").click()
    expect(
        page.get_by_text("Le mail à panne@exemple.test est renvoyé", exact=False)
    ).to_be_visible()
    expect(page.get_by_text("Aucun mail en attente", exact=False)).to_be_visible()
    assert [message.to for message in mail.outbox] == [
        ["awa@exemple.test"],
        ["panne@exemple.test"],
    ]
