"""The coordination's meeting pages and the public archive, as people use them."""

import html
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Event
from network.enums import MeetingState, RegistrationState
from network.models import Meeting
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory
from tests.network.test_meetings import meeting_data, programme_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(coordinator=True)
    client.force_login(user)
    return user


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_meeting_created_by_a_double_click_exists_once(client, coordinator):
    data = {
        **meeting_data(submission_key="0b6c0f5e-3d0a-4a57-9a57-000000000001"),
        **programme_data(
            [
                {"starts_at": "09:30", "ends_at": "10:00", "title": "Accueil"},
                {"starts_at": "10:00", "ends_at": "12:00", "title": "Plénière"},
            ]
        ),
    }
    first = client.post(reverse("network:meeting_add"), data)
    second = client.post(reverse("network:meeting_add"), data)

    meeting = Meeting.objects.get()
    assert first.url == second.url == reverse("network:meeting_edit", args=[meeting.pk])
    assert meeting.programme.count() == 2


def test_a_refused_meeting_form_keeps_what_was_typed(client, coordinator):
    data = {
        **meeting_data(title="Rencontre des jardins", capacity="0"),
        **programme_data([{"starts_at": "07:00", "title": "Petit-déjeuner"}]),
    }
    response = client.post(reverse("network:meeting_add"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Rencontre des jardins"' in page
    assert 'value="Petit-déjeuner"' in page
    assert "Indiquez au moins une place." in page
    assert "Ce point doit commencer pendant la rencontre (de 09:30 à 17:00)." in page
    assert Meeting.objects.count() == 0


def _edit_data(meeting, **overrides):
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    return {
        **meeting_data(
            title=meeting.title,
            year=meeting.year,
            starts_at=local(meeting.starts_at),
            ends_at=local(meeting.ends_at),
            registration_opens_at=local(meeting.registration_opens_at),
            registration_closes_at=local(meeting.registration_closes_at),
            capacity=meeting.capacity,
            version=meeting.version,
        ),
        **programme_data(),
        **overrides,
    }


def test_an_edit_refused_for_the_seats_given_says_how_many(client, coordinator):
    meeting = MeetingFactory(capacity=3)
    RegistrationFactory.create_batch(3, meeting=meeting)

    response = client.post(
        reverse("network:meeting_edit", args=[meeting.pk]), _edit_data(meeting, capacity="2")
    )

    assert response.status_code == 400
    assert "3 places sont déjà attribuées" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.capacity == 3


def test_a_stale_edit_shows_both_versions_and_keeps_the_typing(client, coordinator):
    meeting = MeetingFactory(place_name="Salle des fêtes")
    opened = _edit_data(meeting, place_name="Gymnase")
    Meeting.objects.filter(pk=meeting.pk).update(version=2, place_name="Médiathèque")

    response = client.post(reverse("network:meeting_edit", args=[meeting.pk]), opened)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enregistré entre-temps : à vous de choisir" in page
    assert "Médiathèque" in page
    assert 'value="Gymnase"' in page
    assert 'name="version" value="2"' in page
    meeting.refresh_from_db()
    assert meeting.place_name == "Médiathèque"
    # Saving again is a choice: « Remplacer par ma saisie ».
    replaced = client.post(
        reverse("network:meeting_edit", args=[meeting.pk]), {**opened, "version": "2"}
    )
    assert replaced.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place_name == "Gymnase"


def test_publishing_goes_through_a_confirmation_page(client, coordinator):
    meeting = MeetingFactory(draft=True, title="Rencontre 2027")
    url = reverse("network:meeting_transition", args=[meeting.pk, "publish"])

    page = client.get(url)
    assert page.status_code == 200
    assert "Publier la rencontre « Rencontre 2027 » ?" in page.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DRAFT

    done = client.post(url, {"confirmed": "1"})
    assert done.url == reverse("network:meetings")
    assert _texts(done) == ["Rencontre publiée."]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED


def test_cancelling_asks_the_reason_and_mails_it(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, email="awa@exemple.test")
    url = reverse("network:meeting_transition", args=[meeting.pk, "cancel"])

    missing = client.post(url, {"confirmed": "1", "comment": ""})
    assert missing.status_code == 400
    assert "Indiquez le motif." in missing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirmed": "1", "comment": "Grève des transports."})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert [mail.to for mail in mailoutbox] == [["awa@exemple.test"]]
    assert "Grève des transports." in mailoutbox[0].body


def test_an_unknown_move_answers_404(client, coordinator):
    meeting = MeetingFactory()
    assert client.get(f"/espace/reseau/rencontres/{meeting.pk}/supprimer/").status_code == 404


def _crowd(meeting, count):
    """``count`` seated people, one waitlisted and one with needs, per call."""
    for _ in range(count):
        RegistrationFactory(meeting=meeting, workshop=meeting.programme.first())
    RegistrationFactory(meeting=meeting, waitlisted=True)
    RegistrationFactory(meeting=meeting, dietary_needs="Sans porc", accessibility_needs="Fauteuil")


def test_the_registrations_page_costs_the_same_with_one_or_many_rows(client, coordinator):
    meeting = MeetingFactory(capacity=100)
    ProgrammeItemFactory(meeting=meeting, is_workshop=True, title="Atelier jardin")
    url = reverse("network:registrations", args=[meeting.pk])
    _crowd(meeting, 1)
    with_one = count_queries(client, url)

    _crowd(meeting, 12)
    with_many = count_queries(client, url)

    assert with_one == with_many


def test_the_meetings_list_costs_the_same_with_one_or_many_meetings(client, coordinator):
    url = reverse("network:meetings")
    RegistrationFactory(meeting=MeetingFactory())
    with_one = count_queries(client, url)

    for _ in range(4):
        RegistrationFactory(meeting=MeetingFactory(draft=True))
    with_many = count_queries(client, url)

    assert with_one == with_many


def test_the_meetings_list_counts_seats_waitlist_and_attendance(client, coordinator):
    meeting = MeetingFactory(title="Rencontre 2027", capacity=3)
    RegistrationFactory.create_batch(2, meeting=meeting)
    RegistrationFactory(meeting=meeting, attended=True)
    RegistrationFactory.create_batch(2, meeting=meeting, waitlisted=True)
    RegistrationFactory(meeting=meeting, cancelled=True)

    page = client.get(reverse("network:meetings")).content.decode()

    row = page.split("Rencontre 2027</a>")[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].strip() for cell in row.split("<td")[3:6]]
    assert [cell.split("<")[0].strip() for cell in cells] == ["3 / 3", "2", "1"]


def test_the_registrations_page_shows_counts_waitlist_needs_and_filters(client, coordinator):
    meeting = MeetingFactory(capacity=2)
    workshop = ProgrammeItemFactory(meeting=meeting, is_workshop=True, title="Atelier jardin")
    RegistrationFactory(meeting=meeting, last_name="Bamba", workshop=workshop)
    RegistrationFactory(
        meeting=meeting, last_name="Aubert", dietary_needs="Végétarien", workshop=workshop
    )
    now = timezone.now()
    RegistrationFactory(
        meeting=meeting,
        last_name="Zola",
        waitlisted=True,
        waitlisted_at=now,
        accessibility_needs="Boucle magnétique",
    )
    RegistrationFactory(
        meeting=meeting, last_name="Martin", waitlisted=True, waitlisted_at=now - timedelta(hours=1)
    )
    RegistrationFactory(meeting=meeting, last_name="Petit", pending=True)
    url = reverse("network:registrations", args=[meeting.pk])

    page = html.unescape(client.get(url).content.decode())

    assert "<strong>2 / 2</strong> places données" in page
    assert "<strong>2</strong> en liste d'attente" in page
    assert "<strong>1</strong> adresse à confirmer" in page
    assert "Liste d'attente (position 1)" in page
    assert "Liste d'attente (position 2)" in page
    waitlist = page.split('id="titre-attente"')[1].split("</ol>")[0]
    assert waitlist.index("Martin") < waitlist.index("Zola")
    assert "1 régime alimentaire, 1 besoin d'accessibilité" in page
    assert "Atelier jardin : 2 inscrits" in page

    waiting_only = client.get(url, {"etat": RegistrationState.WAITLISTED}).content.decode()
    waiting_only = html.unescape(waiting_only)
    assert "2 inscriptions." in waiting_only
    listed = waiting_only.split('id="legende-inscriptions"')[1].split("</table>")[0]
    assert "Zola" in listed and "(position 1)" in listed and "Bamba" not in listed
    needs_only = client.get(url, {"besoins": "on"}).content.decode()
    assert "2 inscriptions." in needs_only
    by_workshop = client.get(url, {"atelier": workshop.pk}).content.decode()
    assert "2 inscriptions." in by_workshop


def test_a_coordinator_cancels_a_registration_and_the_waitlist_moves_up(client, coordinator):
    meeting = MeetingFactory(capacity=1)
    seated = RegistrationFactory(meeting=meeting, first_name="Awa", last_name="Diallo")
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)
    url = reverse("network:registration_cancel_by_coordination", args=[meeting.pk, seated.pk])

    confirm = html.unescape(client.get(url).content.decode())
    assert "Annuler l'inscription « Awa Diallo » ?" in confirm
    assert "sa place va à la première personne de la liste d'attente" in confirm
    done = client.post(url, {"confirmed": "1"})

    assert done.url == reverse("network:registrations", args=[meeting.pk])
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.state, waiting.state) == (
        RegistrationState.CANCELLED,
        RegistrationState.CONFIRMED,
    )


def test_another_meetings_registration_answers_404(client, coordinator):
    meeting = MeetingFactory()
    other = RegistrationFactory()
    url = reverse("network:registration_cancel_by_coordination", args=[meeting.pk, other.pk])
    assert client.get(url).status_code == 404


HEADER = (
    "Nom;Prénom;E-mail;Structure;État;Position en liste d'attente;Régime alimentaire;"
    "Besoins d'accessibilité;Atelier;Inscrit·e le;Présent·e"
)


def test_the_csv_export_lists_every_registration_and_neutralises_formulas(client, coordinator):
    meeting = MeetingFactory(slug="rencontre-2027")
    workshop = ProgrammeItemFactory(meeting=meeting, is_workshop=True, title="Atelier jardin")
    RegistrationFactory(
        meeting=meeting,
        first_name="Awa",
        last_name="Diallo",
        email="awa@exemple.test",
        organisation='=HYPERLINK("http://pirate.test","clic")',
        dietary_needs="Végétarien",
        workshop=workshop,
        attended=True,
    )
    RegistrationFactory(
        meeting=meeting,
        first_name="Léo",
        last_name="Martin",
        email="leo@exemple.test",
        organisation="Le Club",
        waitlisted=True,
    )

    response = client.get(reverse("network:registrations_export", args=[meeting.pk, "csv"]))

    assert (
        response["Content-Disposition"] == 'attachment; filename="inscriptions-rencontre-2027.csv"'
    )
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER
    assert lines[1].startswith(
        'Diallo;Awa;awa@exemple.test;"\'=HYPERLINK(""http://pirate.test"",""clic"")";Présent·e;;'
        "Végétarien;;Atelier jardin;"
    )
    assert lines[1].endswith(";Oui")
    martin = lines[2].split(";")
    assert martin[:6] == ["Martin", "Léo", "leo@exemple.test", "Le Club", "Liste d'attente", "1"]
    assert martin[-1] == "Non"


def test_the_xlsx_export_keeps_a_formula_as_text(client, coordinator):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, last_name='=HYPERLINK("http://pirate.test")')

    response = client.get(reverse("network:registrations_export", args=[meeting.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Nom"
    assert sheet["A2"].value == '\'=HYPERLINK("http://pirate.test")'
    assert sheet["A2"].data_type == "s"


def test_an_export_is_written_in_the_audit_trail(client, coordinator):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting)

    client.get(reverse("network:registrations_export", args=[meeting.pk, "xlsx"]))

    [event] = Event.objects.for_object(meeting).filter(workflow="export")
    assert (event.action, event.actor, event.reason) == ("xlsx", coordinator, "Inscriptions")
    assert event.changes["lignes"] == [None, 2]
    assert event.changes["colonnes"][1][:2] == ["Nom", "Prénom"]


def test_an_unknown_export_format_answers_404(client, coordinator):
    meeting = MeetingFactory()
    url = reverse("network:registrations_export", args=[meeting.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_the_archive_shows_the_upcoming_and_past_meetings_with_their_programme(client):
    upcoming = MeetingFactory(title="Rencontre à venir")
    past = MeetingFactory(past=True, title="Rencontre passée")
    ProgrammeItemFactory(meeting=past, title="Table ronde des lauréats", speakers="Awa Diallo")
    MeetingFactory(draft=True, title="Rencontre en préparation")

    page = client.get(reverse("network:archive")).content.decode()

    upcoming_part, past_part = page.split('id="titre-passees"')
    assert upcoming.title in upcoming_part
    assert past.title in past_part
    assert "Table ronde des lauréats — Awa Diallo" in past_part
    assert "Rencontre en préparation" not in page


def test_the_archive_costs_the_same_with_one_or_many_past_meetings(client):
    MeetingFactory()
    ProgrammeItemFactory(meeting=MeetingFactory(past=True))
    with_one = count_queries(client, reverse("network:archive"))

    for _ in range(4):
        ProgrammeItemFactory(meeting=MeetingFactory(past=True))
    # A new version of the public pages: the cached answer is not served again.
    with_many = count_queries(client, reverse("network:archive") + "?v=2")

    assert with_one == with_many


def test_the_registrations_are_paginated_and_the_filters_stay_in_the_links(
    client, coordinator, monkeypatch
):
    monkeypatch.setattr("network.views.meetings.REGISTRATIONS_PER_PAGE", 2)
    meeting = MeetingFactory(capacity=10)
    for name in ["Ba", "Cissé", "Dia"]:
        RegistrationFactory(meeting=meeting, last_name=name)
    url = reverse("network:registrations", args=[meeting.pk])

    first = html.unescape(client.get(url, {"etat": RegistrationState.CONFIRMED}).content.decode())
    second = html.unescape(
        client.get(url, {"etat": RegistrationState.CONFIRMED, "page": 2}).content.decode()
    )

    assert "page 1 sur 2" in first and "Ba Awa" in first and "Dia Awa" not in first
    assert (
        'href="?etat=confirmed&amp;page=2"'
        in client.get(url, {"etat": RegistrationState.CONFIRMED}).content.decode()
    )
    assert "page 2 sur 2" in second and "Dia Awa" in second


def test_the_list_offers_only_the_moves_the_workflow_allows(client, coordinator):
    MeetingFactory(draft=True, title="En préparation")
    MeetingFactory(title="Annulée", state=MeetingState.CANCELLED)

    page = html.unescape(client.get(reverse("network:meetings")).content.decode())

    draft_row = page.split("En préparation</a>")[1].split("</tr>")[0]
    cancelled_row = page.split("Annulée</a>")[1].split("</tr>")[0]
    assert "Publier la rencontre" in draft_row and "Annuler la rencontre" in draft_row
    assert "Publier" not in cancelled_row and "Annuler la rencontre" not in cancelled_row
