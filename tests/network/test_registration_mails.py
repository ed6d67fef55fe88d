"""The mails of a registration: their words, their links, the invitation and the QR code."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from icalendar import Calendar

from network.enums import RegistrationState
from network.services.registration import (
    AlreadyRegistered,
    cancel_registration,
    confirm_address,
    register,
)
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Rencontre du réseau 2040",
        capacity=1,
        starts_at=datetime(2040, 6, 12, 9, 30, tzinfo=PARIS),
        ends_at=datetime(2040, 6, 12, 17, 0, tzinfo=PARIS),
        place_name="Hôtel de territoire",
        address="2 avenue Youri Gagarine, 94400 Vitry-sur-Seine",
    )


def _visitor(meeting, n, capture):
    with capture(execute=True):
        return register(
            meeting=meeting, first_name="Awa", last_name=f"Diallo{n}", email=f"awa{n}@exemple.test"
        )


def _link(body: str, pattern: str) -> str:
    found = re.search(rf"http://testserver/reseau/inscription/[\w.-]+/{pattern}", body)
    assert found, body
    return found.group(0).removeprefix("http://testserver")


def _calendar(attachment) -> Calendar:
    name, content, _mimetype = attachment
    assert name == "rencontre.ics"
    return Calendar.from_ical(content)


def test_a_visitor_gets_the_confirmation_link_which_a_mail_scanner_cannot_follow(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    registration = _visitor(meeting, 1, django_capture_on_commit_callbacks)

    [mail] = mailoutbox
    assert mail.to == ["awa1@exemple.test"]
    assert mail.subject.endswith("Confirmez votre inscription : Rencontre du réseau 2040")
    assert "mardi 12 juin 2040, de 09:30 à 17:00 (heure de Paris)" in mail.body
    confirm = _link(mail.body, "confirmer/")

    # A GET (a scanner, a preview) changes nothing: it shows the button.
    page = Client().get(confirm)
    registration.refresh_from_db()
    assert page.status_code == 200
    assert "Confirmer mon inscription" in page.content.decode()
    assert registration.state == RegistrationState.REGISTERED


def test_a_seat_mail_carries_the_invitation_the_qr_code_and_the_cancel_link(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    registration = _visitor(meeting, 1, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_address(registration=registration)

    mail = mailoutbox[-1]
    registration.refresh_from_db()
    assert mail.subject.endswith("Inscription confirmée : Rencontre du réseau 2040")
    assert f"code d'émargement : {registration.checkin_code}" in mail.body
    assert "Lieu : Hôtel de territoire, 2 avenue Youri Gagarine, 94400 Vitry-sur-Seine" in mail.body
    cancel = _link(mail.body, "annuler/")
    assert Client().get(cancel).status_code == 200

    ics, png = mail.attachments
    assert png[0] == "code-qr-emargement.png"
    assert png[1].startswith(b"\x89PNG") and png[2] == "image/png"
    calendar = _calendar(ics)
    assert ics[2] == "text/calendar; charset=utf-8; method=REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    # 9:30 in Paris in June is 7:30 UTC.
    assert event.decoded("DTSTART") == datetime(2040, 6, 12, 7, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2040, 6, 12, 15, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Rencontre du réseau 2040 — réseau du Label Actions Innovantes"
    assert str(event["LOCATION"]) == (
        "Hôtel de territoire, 2 avenue Youri Gagarine, 94400 Vitry-sur-Seine"
    )
    assert str(event["UID"]) == f"network-registration-{registration.pk}@testserver"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"http://testserver/reseau/rencontres/{meeting.slug}/"
    assert registration.checkin_code in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == "mailto:awa1@exemple.test"


def test_the_waitlist_mail_gives_the_position_and_the_promotion_mail_the_invitation(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    seated = register(meeting=meeting, user=UserFactory())
    second = register(meeting=meeting, user=UserFactory(email="second@exemple.test"))
    with django_capture_on_commit_callbacks(execute=True):
        third = register(meeting=meeting, user=UserFactory(email="third@exemple.test"))
    waitlisted = mailoutbox[-1]
    assert waitlisted.to == ["third@exemple.test"]
    assert waitlisted.subject.endswith("Liste d'attente : Rencontre du réseau 2040")
    assert "vous êtes n° 2." in waitlisted.body
    assert _link(waitlisted.body, "annuler/")
    assert third.state == RegistrationState.WAITLISTED
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=seated, actor=None)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {seated.email, "second@exemple.test"}
    promoted = by_address["second@exemple.test"]
    assert promoted.subject.endswith("Une place s'est libérée : Rencontre du réseau 2040")
    assert "cette place est maintenant la vôtre" in promoted.body
    [event] = _calendar(promoted.attachments[0]).walk("VEVENT")
    assert str(event["UID"]) == f"network-registration-{second.pk}@testserver"
    # The registration moved twice (waitlist, seat): this sending outranks the first.
    assert event["SEQUENCE"] == 2

    cancelled = by_address[seated.email]
    assert cancelled.subject.endswith("Inscription annulée : Rencontre du réseau 2040")
    assert "Votre inscription est annulée, comme vous l'avez demandé" in cancelled.body
    calendar = _calendar(cancelled.attachments[0])
    assert calendar["METHOD"] == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_a_cancellation_by_the_coordination_says_so_and_a_waitlisted_one_has_no_invitation(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    register(meeting=meeting, user=UserFactory())
    waiting = register(meeting=meeting, user=UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(registration=waiting, actor=UserFactory(coordinator=True))

    [mail] = mailoutbox
    assert "La coordination du label a annulé votre inscription" in mail.body
    assert mail.attachments == []


def test_an_address_already_registered_gets_its_links_again_once_per_window(
    meeting, mailoutbox, django_capture_on_commit_callbacks
):
    _visitor(meeting, 1, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyRegistered):
            register(meeting=meeting, first_name="X", last_name="Y", email="AWA1@exemple.test")

    [mail] = mailoutbox
    assert mail.to == ["awa1@exemple.test"]
    assert "Elle y est déjà inscrite : Adresse à confirmer." in mail.body
    assert _link(mail.body, "confirmer/")
