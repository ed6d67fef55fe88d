"""The coordination prepares the annual meeting in a browser, with no script of ours needed.

A coordinator creates the meeting with two programme items (native date and
time fields, the programme's empty rows), is told what is wrong, publishes it
after the confirmation page, and finds it on the public archive. Every page
met is checked with axe-core, at desktop width and at 320 px.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from network.enums import MeetingState
from network.models import Meeting
from tests.browser.conftest import (
    check_page,
    field,
    login,
)
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

pytestmark = pytest.mark.browser

YEAR = timezone.localdate().year + 1


def test_a_coordinator_prepares_publishes_and_finds_the_meeting_on_the_archive(
    page, live_server, transactional_db
):
    coordinator = UserFactory(coordinator=True)
    past = MeetingFactory(past=True, title="Rencontre de l'an dernier")
    ProgrammeItemFactory(meeting=past, title="Table ronde des lauréats")
    login(page, live_server, coordinator.email)

    page.goto(live_server.url + reverse("network:meetings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencontres du réseau")
    check_page(page)
    page.get_by_role("link", name="Nouvelle rencontre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle rencontre du réseau")
    check_page(page)

    page.locator("#id_title").fill(f"Rencontre annuelle {YEAR}")
    field(page, "Début (date et heure)").fill(f"{YEAR}-06-12T09:30")
    field(page, "Fin (date et heure)").fill(f"{YEAR}-06-12T17:00")
    field(page, "Nom du lieu").fill("Hôtel de territoire")
    field(page, "Adresse").fill("2 avenue Youri Gagarine")
    field(page, "Commune").select_option(label="Vitry-sur-Seine")
    field(page, "Nombre de places").fill("0")
    field(page, "Ouverture des inscriptions").fill(f"{YEAR - 1}-12-01T09:00")
    field(page, "Clôture des inscriptions").fill(f"{YEAR}-06-05T18:00")
    page.locator("#id_programme-0-starts_at").fill("09:30")
    page.locator("#id_programme-0-ends_at").fill("10:00")
    page.locator("#id_programme-0-title").fill("Accueil café")
    page.locator("#id_programme-1-starts_at").fill("14:00")
    page.locator("#id_programme-1-ends_at").fill("15:30")
    page.locator("#id_programme-1-title").fill("Atelier financements")
    page.locator("#id_programme-1-is_workshop").check()
    page.get_by_role("button", name="Créer la rencontre").click()

    # Sent back with the reason, and what was typed is still there.
    expect(page.get_by_text("Indiquez au moins une place.")).to_be_visible()
    expect(page.locator("#id_programme-1-title")).to_have_value("Atelier financements")
    check_page(page)
    field(page, "Nombre de places").fill("80")
    page.get_by_role("button", name="Créer la rencontre").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Modifier la rencontre « Rencontre annuelle {YEAR} »"
    )
    expect(page.get_by_text("Rencontre créée, en préparation")).to_be_visible()
    check_page(page)
    meeting = Meeting.objects.get(title=f"Rencontre annuelle {YEAR}")
    assert [item.title for item in meeting.programme.all()] == [
        "Accueil café",
        "Atelier financements",
    ]

    page.goto(live_server.url + reverse("network:meetings"))
    page.get_by_role("link", name=f"Publier la rencontre — Rencontre annuelle {YEAR}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publier la rencontre")
    check_page(page)
    page.get_by_role("button", name="Publier la rencontre").click()
    expect(page.get_by_text("Rencontre publiée.")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED

    # The registrations page, with a few people.
    RegistrationFactory(
        meeting=meeting, dietary_needs="Végétarien", workshop=meeting.programme.last()
    )
    RegistrationFactory(meeting=meeting, waitlisted=True)
    page.goto(live_server.url + reverse("network:registrations", args=[meeting.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inscriptions")
    check_page(page)

    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    visitor.goto(live_server.url + reverse("network:archive"))
    upcoming = visitor.get_by_role("region", name="Prochaine rencontre")
    expect(upcoming).to_contain_text(f"Rencontre annuelle {YEAR}")
    expect(upcoming).to_contain_text("Atelier financements (atelier au choix)")
    past_part = visitor.get_by_role("region", name="Rencontres passées")
    expect(past_part).to_contain_text("Table ronde des lauréats")
    check_page(visitor)
    visitor.context.close()
