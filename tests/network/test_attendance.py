"""The check-in at the door, the attendance sheet and the attendance certificate."""

import io
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from core.models import Event
from network.enums import RegistrationState
from network.services.attendance import check_in, normalise_checkin_code, undo_check_in
from network.tokens import registration_token
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, RegistrationFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="Rencontre du réseau 2026", capacity=10)


def _checkin(meeting):
    return reverse("network:checkin", args=[meeting.pk])


def _code_url(registration, code=None):
    return reverse(
        "network:checkin_code", args=[registration.meeting_id, code or registration.checkin_code]
    )


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7KQ4-M2XP", "7KQ4-M2XP"),
        ("7kq4m2xp", "7KQ4-M2XP"),
        (" 7kq4 - m2xp ", "7KQ4-M2XP"),
        ("7KQ4-M2X", None),
        ("7KQ4-M2X0", None),  # 0 is never in a code
        ("Diallo", None),
        ("", None),
    ],
)
def test_a_check_in_code_is_read_whatever_its_case_and_dashes(typed, expected):
    assert normalise_checkin_code(typed) == expected


def test_checking_in_notes_the_presence_once_with_its_event(meeting, coordinator):
    registration = RegistrationFactory(meeting=meeting)

    first, noted = check_in(registration=registration, actor=coordinator)
    second, noted_again = check_in(registration=registration, actor=coordinator)

    assert (noted, noted_again) == (True, False)
    assert second.state == RegistrationState.ATTENDED
    assert second.attended_at == first.attended_at is not None
    events = Event.objects.for_object(registration)
    assert list(events.values_list("action", "from_state", "to_state", "actor")) == [
        ("attend", RegistrationState.CONFIRMED, RegistrationState.ATTENDED, coordinator.pk)
    ]


def test_a_presence_noted_by_mistake_is_taken_back(meeting, coordinator):
    registration = RegistrationFactory(meeting=meeting, attended=True)

    undone, changed = undo_check_in(registration=registration, actor=coordinator)
    _again, changed_again = undo_check_in(registration=registration, actor=coordinator)

    assert (changed, changed_again) == (True, False)
    assert undone.state == RegistrationState.CONFIRMED
    assert undone.attended_at is None


def test_two_coordinators_scanning_the_same_code_at_once_note_one_presence(transactional_db):
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting)
    scanners = [UserFactory(coordinator=True), UserFactory(coordinator=True)]
    barrier = threading.Barrier(2)
    results = []

    def scan(actor):
        try:
            barrier.wait()
            results.append(check_in(registration=registration, actor=actor)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(actor,)) for actor in scanners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert Event.objects.for_object(registration).filter(action="attend").count() == 1


def test_the_check_in_page_lists_the_people_with_a_seat_by_name_with_counters(
    client, meeting, coordinator
):
    RegistrationFactory(meeting=meeting, first_name="Zoé", last_name="Bernard")
    RegistrationFactory(meeting=meeting, first_name="Awa", last_name="Diallo", attended=True)
    RegistrationFactory(meeting=meeting, first_name="Karim", last_name="benali")
    RegistrationFactory(meeting=meeting, first_name="Léa", last_name="Attente", waitlisted=True)
    RegistrationFactory(meeting=meeting, first_name="Paul", last_name="Annulé", cancelled=True)
    client.force_login(coordinator)

    response = client.get(_checkin(meeting))

    assert response.status_code == 200
    names = [row["registration"].last_name for row in response.context["rows"]]
    assert names == ["benali", "Bernard", "Diallo"]
    content = response.content.decode()
    assert "<strong>1</strong> présent·e sur <strong>3</strong> inscrit·es" in content
    assert content.count("Présent·e<span") == 2
    assert "Annuler l'émargement" in content
    assert "Attente" not in content


def test_typing_a_code_opens_the_person_whatever_its_case(client, meeting, coordinator):
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(coordinator)
    typed = registration.checkin_code.lower().replace("-", "")

    response = client.get(_checkin(meeting), {"q": typed})

    assert response.status_code == 302
    assert response.url == _code_url(registration)


def test_a_code_nobody_holds_is_said_and_the_list_stays(client, meeting, coordinator):
    RegistrationFactory(meeting=meeting)
    client.force_login(coordinator)

    response = client.get(_checkin(meeting), {"q": "2222-3333"})

    assert response.status_code == 200
    assert _messages(response) == ["Aucune inscription ne porte le code « 2222-3333 »."]


def test_searching_a_name_narrows_the_list(client, meeting, coordinator):
    RegistrationFactory(meeting=meeting, first_name="Awa", last_name="Diallo")
    RegistrationFactory(meeting=meeting, first_name="Karim", last_name="Benali")
    client.force_login(coordinator)

    response = client.get(_checkin(meeting), {"q": "dial"})

    assert [row["registration"].last_name for row in response.context["rows"]] == ["Diallo"]


def test_the_qr_code_page_shows_the_person_and_notes_the_presence(client, meeting, coordinator):
    registration = RegistrationFactory(
        meeting=meeting, first_name="Awa", last_name="Diallo", organisation="Jardins d'Ivry"
    )
    client.force_login(coordinator)

    page = client.get(_code_url(registration))
    noted = client.post(_code_url(registration), {"action": "attend"})
    again = client.post(_code_url(registration), {"action": "attend"})
    after = client.get(_code_url(registration))

    content = page.content.decode()
    assert "<h1>Awa Diallo</h1>" in content
    assert "Jardins d&#x27;Ivry" in content
    assert "Présent·e<span" in content
    assert noted.status_code == again.status_code == 302
    assert _messages(noted) == ["Présence notée : Awa Diallo."]
    # The first message waits in the session until a page shows it.
    assert _messages(again)[-1] == "Awa Diallo était déjà noté·e présent·e."
    assert "Déjà noté·e présent·e" in after.content.decode()
    assert Event.objects.for_object(registration).filter(action="attend").count() == 1


def test_the_list_button_comes_back_to_the_list_at_the_person(client, meeting, coordinator):
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(coordinator)

    response = client.post(_code_url(registration), {"action": "attend", "retour": "liste"})
    searched = client.post(
        _code_url(registration), {"action": "unattend", "retour": "liste", "q": "Dia llo"}
    )

    assert response.url == f"{_checkin(meeting)}#inscription-{registration.pk}"
    assert searched.url == f"{_checkin(meeting)}?q=Dia+llo#inscription-{registration.pk}"
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
    client.post(_code_url(registration), {"action": "attend", "retour": "liste"})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ATTENDED


def test_a_code_typed_in_lower_case_in_the_address_is_sent_to_the_printed_one(
    client, meeting, coordinator
):
    registration = RegistrationFactory(meeting=meeting)
    client.force_login(coordinator)

    response = client.get(_code_url(registration, registration.checkin_code.lower()))

    assert response.status_code == 302
    assert response.url == _code_url(registration)


def test_an_unknown_code_or_a_code_of_another_meeting_answers_404(client, meeting, coordinator):
    other = RegistrationFactory(meeting=MeetingFactory())
    client.force_login(coordinator)

    assert (
        client.get(
            _code_url(other, "2222-3333").replace(str(other.meeting_id), str(meeting.pk))
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("network:checkin_code", args=[meeting.pk, other.checkin_code])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("network:checkin_code", args=[meeting.pk, "pas-un-code"])).status_code
        == 404
    )


def test_a_waitlisted_person_cannot_be_checked_in(client, meeting, coordinator):
    registration = RegistrationFactory(
        meeting=meeting, waitlisted=True, first_name="Léa", last_name="Roy"
    )
    client.force_login(coordinator)

    page = client.get(_code_url(registration))
    response = client.post(_code_url(registration), {"action": "attend"})

    assert "ne peut pas être émargée" in page.content.decode()
    assert "Présent·e<span" not in page.content.decode()
    assert _messages(response) == [
        "Seule une personne inscrite (avec une place) peut être émargée."
    ]
    registration.refresh_from_db()
    assert registration.state == RegistrationState.WAITLISTED


def test_the_check_in_list_costs_the_same_with_one_or_many_people(client, meeting, coordinator):
    client.force_login(coordinator)
    RegistrationFactory(meeting=meeting, attended=True)
    with CaptureQueriesContext(connection) as one:
        assert client.get(_checkin(meeting)).status_code == 200
    RegistrationFactory.create_batch(8, meeting=meeting)
    RegistrationFactory.create_batch(3, meeting=meeting, attended=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_checkin(meeting))

    assert len(response.context["rows"]) == 12
    assert len(one) == len(many)


def test_the_attendance_sheet_lists_the_people_with_a_seat_by_last_then_first_name(
    client, meeting, coordinator
):
    RegistrationFactory(meeting=meeting, first_name="Zoé", last_name="Martin", organisation="")
    RegistrationFactory(
        meeting=meeting, first_name="Awa", last_name="Martin", organisation="Asso A"
    )
    RegistrationFactory(meeting=meeting, first_name="Karim", last_name="Benali", attended=True)
    RegistrationFactory(meeting=meeting, first_name="Léa", last_name="Attente", waitlisted=True)
    client.force_login(coordinator)

    response = client.get(reverse("network:attendance_sheet", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="feuille-emargement-{meeting.slug}.pdf"'
    )
    [text] = _pdf_text(response.content)
    assert "Feuille d'émargement" in text
    assert "Rencontre du réseau 2026" in text
    assert "Hôtel de territoire, 2 avenue Youri Gagarine, 94400 Vitry-sur-Seine" in text
    assert "N° Nom Prénom Structure Signature" in text
    rows = [line for line in text.splitlines() if line[:2] in {"1 ", "2 ", "3 "}]
    assert rows == [
        "1 BENALI Karim Association Les Jardins partagés",
        "2 MARTIN Awa Asso A",
        "3 MARTIN Zoé —",
    ]
    assert "Attente" not in text
    assert "Page 1 / 1" in text


def test_the_attendance_sheet_repeats_its_header_on_every_page(client, meeting, coordinator):
    RegistrationFactory.create_batch(40, meeting=meeting)
    client.force_login(coordinator)

    response = client.get(reverse("network:attendance_sheet", args=[meeting.pk]))

    pages = _pdf_text(response.content)
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert "N° Nom Prénom Structure Signature" in text
        assert "Feuille d'émargement — Rencontre du réseau 2026" in text
        assert f"Page {number} / {len(pages)}" in text


def test_the_certificate_is_for_a_person_who_attended(client, meeting):
    attended = RegistrationFactory(
        meeting=meeting, attended=True, first_name="Awa", last_name="Diallo", organisation="Asso A"
    )
    seated = RegistrationFactory(meeting=meeting)

    response = client.get(
        reverse("network:attendance_certificate", args=[registration_token(attended)])
    )
    refused = client.get(
        reverse("network:attendance_certificate", args=[registration_token(seated)])
    )
    forged = client.get(reverse("network:attendance_certificate", args=["MQ:abc:def"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="attestation-presence-{meeting.slug}.pdf"'
    )
    [text] = _pdf_text(response.content)
    assert "Attestation de présence" in text
    assert "Awa Diallo" in text
    assert "(Asso A)" in text
    assert "« Rencontre du réseau 2026 »" in text
    assert (refused.status_code, forged.status_code) == (404, 404)


def test_the_check_in_list_links_to_the_certificates_of_the_people_present(
    client, meeting, coordinator
):
    attended = RegistrationFactory(meeting=meeting, attended=True)
    seated = RegistrationFactory(meeting=meeting)
    client.force_login(coordinator)

    content = client.get(_checkin(meeting)).content.decode()

    assert reverse("network:attendance_certificate", args=[registration_token(attended)]) in content
    assert (
        reverse("network:attendance_certificate", args=[registration_token(seated)]) not in content
    )


@pytest.mark.parametrize("role", ["anonymous", "member", "officer"])
def test_nobody_but_the_coordination_checks_people_in(client, meeting, role):
    registration = RegistrationFactory(meeting=meeting)
    if role == "member":
        client.force_login(UserFactory())
    elif role == "officer":
        from accounts.models import CityContract

        client.force_login(UserFactory(officer_contract=CityContract.objects.first()))

    response = client.post(_code_url(registration), {"action": "attend"})

    assert response.status_code == (302 if role == "anonymous" else 404)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED


def test_a_meeting_in_preparation_is_checked_in_by_the_coordination_only(client, coordinator):
    draft = MeetingFactory(draft=True)

    client.force_login(coordinator)
    assert client.get(_checkin(draft)).status_code == 200
    assert client.get(reverse("network:checkin", args=[999999])).status_code == 404
