"""Visitors register to the annual meeting in a real browser: the mail link, the waitlist,
a cancellation by the mail link, the promotion it brings."""

import re
from datetime import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.enums import RegistrationState
from network.models import Registration
from tests.browser.conftest import field
from tests.browser.test_accessibility import check_page
from tests.network.factories import MeetingFactory, ProgrammeItemFactory

pytestmark = pytest.mark.browser


def mail_link(live_server, to: str, subject: str, path: str) -> str:
    """The link of the last mail to ``to`` whose subject holds ``subject``."""
    found = [m for m in mail.outbox if m.to == [to] and subject in m.subject]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    link = re.search(
        rf"{re.escape(live_server.url)}/reseau/inscription/[\w.-]+/{path}", found[-1].body
    )
    assert link, found[-1].body
    return link.group(0)


def register(page, live_server, meeting, *, first_name, email, button):
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)
    check_page(page)
    field(page, "Prénom").fill(first_name)
    field(page, "Nom").fill("Diallo")
    field(page, "Adresse e-mail").fill(email)
    field(page, "Association ou structure").fill("Les Jardins partagés")
    page.get_by_label("Je choisirai sur place").check()
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")
    expect(page.get_by_role("status")).to_contain_text(f"ouvrez le lien envoyé à {email}")
    check_page(page)


def confirm(page, live_server, email):
    page.goto(mail_link(live_server, email, "Confirmez votre inscription", "confirmer/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirmer votre inscription")
    check_page(page)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")


def test_visitors_register_wait_and_are_promoted_when_a_seat_frees(
    page, new_person_page, live_server, transactional_db
):
    meeting = MeetingFactory(title="Rencontre du réseau 2041", capacity=1, ask_workshop=True)
    ProgrammeItemFactory(meeting=meeting, title="Accueil", starts_at=time(9, 0))
    ProgrammeItemFactory(
        meeting=meeting, title="Atelier jardin", starts_at=time(14, 0), is_workshop=True
    )

    # Awa takes the only seat.
    register(
        page, live_server, meeting, first_name="Awa", email="awa@exemple.test", button="M'inscrire"
    )
    confirm(page, live_server, "awa@exemple.test")
    expect(page.get_by_role("status")).to_contain_text("Vous êtes inscrit·e.")
    expect(page.get_by_role("img", name="Code QR d'émargement de Awa Diallo")).to_be_visible()
    awa = Registration.objects.get(email="awa@exemple.test")
    expect(page.get_by_text(awa.checkin_code)).to_be_visible()
    check_page(page)

    # The meeting is full: Binta goes on the waitlist.
    binta_page = new_person_page()
    binta_page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(binta_page.get_by_text("Complet : inscription sur liste d'attente.")).to_be_visible()
    register(
        binta_page,
        live_server,
        meeting,
        first_name="Binta",
        email="binta@exemple.test",
        button="M'inscrire sur la liste d'attente",
    )
    confirm(binta_page, live_server, "binta@exemple.test")
    expect(binta_page.get_by_role("status")).to_contain_text(
        "vous êtes n° 1 sur la liste d'attente"
    )
    check_page(binta_page)

    # Awa cannot come: she cancels by the link of her mail.
    page.goto(mail_link(live_server, "awa@exemple.test", "Inscription confirmée", "annuler/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annuler votre inscription")
    check_page(page)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée.")
    check_page(page)

    # Binta is told by mail, with the invitation, and her page shows her seat.
    promoted = [m for m in mail.outbox if "Une place s'est libérée" in m.subject]
    assert [m.to for m in promoted] == [["binta@exemple.test"]]
    assert promoted[0].attachments[0][0] == "rencontre.ics"
    binta_page.reload()
    expect(binta_page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    assert Registration.objects.get(email="binta@exemple.test").state == (
        RegistrationState.CONFIRMED
    )
