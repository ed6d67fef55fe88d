"""The meeting's scheduled mails: the reminder before, the material after; each mail once."""

import datetime
import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from network import mails
from network.enums import MeetingState, NoticeKind, RegistrationState
from network.models import RegistrationNotice
from network.services.notices import send_meeting_notices
from network.tokens import registration_from_token, registration_token
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

PREFIX = "[Label Actions Innovantes] "
DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(title="Rencontre du réseau 2026", capacity=3)
    ProgrammeItemFactory(meeting=meeting, title="Plénière d'ouverture", speakers="La présidente")
    return meeting


def _run(now, capture):
    with capture(execute=True):
        return send_meeting_notices(now)


def test_the_reminder_leaves_the_set_number_of_days_before_to_people_with_a_seat(
    meeting, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MEETING_REMINDER_DAYS = 3
    seated = RegistrationFactory(meeting=meeting, first_name="Awa", email="awa@exemple.test")
    RegistrationFactory(meeting=meeting, waitlisted=True)
    RegistrationFactory(meeting=meeting, pending=True)
    RegistrationFactory(meeting=meeting, cancelled=True)

    four_days_before = meeting.starts_at - 4 * DAY
    assert _run(four_days_before, django_capture_on_commit_callbacks).reminders == 0
    assert mailoutbox == []

    summary = _run(meeting.starts_at - 3 * DAY, django_capture_on_commit_callbacks)

    assert (summary.reminders, summary.followups) == (1, 0)
    assert str(summary) == (
        "rencontre annuelle : 1 rappel envoyé, 0 mails d'après-rencontre envoyés."
    )
    [mail] = mailoutbox
    assert mail.to == ["awa@exemple.test"]
    assert mail.subject.startswith(PREFIX + "Rappel : Rencontre du réseau 2026, le ")
    assert "Bonjour Awa," in mail.body
    assert "dans 3 jours" in mail.body
    assert "Hôtel de territoire, 2 avenue Youri Gagarine, 94400 Vitry-sur-Seine" in mail.body
    assert "Pour venir : RER C, gare de Vitry-sur-Seine ; salle de plain-pied." in mail.body
    assert "Plénière d'ouverture (La présidente)" in mail.body
    assert f"    {seated.checkin_code}\n" in mail.body
    # The page of the registration, where the person cancels: a signed link.
    assert f"/reseau/inscription/{registration_token(seated)}/\n" in mail.body
    names = [name for name, _content, _type in mail.attachments]
    assert names == ["rencontre.ics", "code-qr-emargement.png"]
    assert mail.attachments[1][1].startswith(b"\x89PNG")
    assert list(RegistrationNotice.objects.values_list("registration", "kind")) == [
        (seated.pk, NoticeKind.REMINDER)
    ]


def test_the_reminder_carries_the_meeting_in_an_ics_invitation(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    registration = RegistrationFactory(meeting=meeting, email="awa@exemple.test")

    _run(meeting.starts_at - DAY, django_capture_on_commit_callbacks)

    [mail] = mailoutbox
    assert "demain" in mail.body
    calendar = Calendar.from_ical(mail.attachments[0][1])
    [event] = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == meeting.ends_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Rencontre du réseau 2026 — réseau du Label Actions Innovantes"
    assert str(event["LOCATION"]) == (
        "Hôtel de territoire, 2 avenue Youri Gagarine, 94400 Vitry-sur-Seine"
    )
    assert registration.checkin_code in str(event["DESCRIPTION"])
    # The entry the seat's invitation put in the calendar, updated, not a second one.
    assert str(event["UID"]) == mails.meeting_event(registration).uid


def test_run_twice_the_reminder_leaves_once(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting)
    now = meeting.starts_at - 2 * DAY

    first = _run(now, django_capture_on_commit_callbacks)
    second = _run(now + datetime.timedelta(minutes=15), django_capture_on_commit_callbacks)

    assert (first.reminders, second.reminders) == (2, 0)
    assert len(mailoutbox) == 2
    assert RegistrationNotice.objects.count() == 2


def test_no_reminder_once_the_meeting_has_started_nor_for_a_cancelled_meeting(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    started = MeetingFactory()
    RegistrationFactory(meeting=started)
    cancelled = MeetingFactory(state=MeetingState.CANCELLED, starts_at=started.starts_at + 30 * DAY)
    RegistrationFactory(meeting=cancelled)

    _run(started.starts_at + datetime.timedelta(minutes=1), django_capture_on_commit_callbacks)
    _run(cancelled.starts_at - DAY, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_after_the_meeting_the_attendees_get_the_material_and_their_certificate(
    meeting, client, django_capture_on_commit_callbacks, mailoutbox
):
    meeting.material = "Le diaporama : https://exemple.test/diaporama.pdf"
    meeting.save()
    attended = RegistrationFactory(
        meeting=meeting, attended=True, first_name="Karim", email="karim@exemple.test"
    )
    RegistrationFactory(meeting=meeting)  # had a seat, did not come

    during = meeting.ends_at - datetime.timedelta(hours=1)
    assert _run(during, django_capture_on_commit_callbacks).followups == 0
    summary = _run(
        meeting.ends_at + datetime.timedelta(hours=1), django_capture_on_commit_callbacks
    )

    assert summary.followups == 1
    [mail] = mailoutbox
    assert mail.to == ["karim@exemple.test"]
    assert mail.subject == PREFIX + "Merci de votre venue : Rencontre du réseau 2026"
    assert "Le diaporama : https://exemple.test/diaporama.pdf" in mail.body
    link = next(line for line in mail.body.splitlines() if "attestation de présence" in line)
    url = link.rsplit(" ", 1)[-1]
    assert url.startswith("http://testserver/reseau/inscription/")
    assert url.endswith("/attestation.pdf")
    token = url.split("/")[-2]
    assert registration_from_token(token) == attended
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Attestation de présence" in text


def test_without_material_the_mail_after_the_meeting_waits_two_days(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(meeting=meeting, attended=True)

    assert _run(meeting.ends_at + DAY, django_capture_on_commit_callbacks).followups == 0
    assert _run(meeting.ends_at + 2 * DAY, django_capture_on_commit_callbacks).followups == 1
    assert _run(meeting.ends_at + 3 * DAY, django_capture_on_commit_callbacks).followups == 0

    [mail] = mailoutbox
    assert "supports" not in mail.body
    assert "attestation de présence" in mail.body


def test_a_meeting_ended_long_ago_is_not_mailed_when_the_scheduler_starts_late(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    RegistrationFactory(meeting=meeting, attended=True)

    assert _run(meeting.ends_at + 15 * DAY, django_capture_on_commit_callbacks).followups == 0
    assert mailoutbox == []


def test_a_second_scheduler_finding_the_notice_written_sends_nothing(
    meeting, django_capture_on_commit_callbacks, mailoutbox
):
    registration = RegistrationFactory(meeting=meeting)
    RegistrationNotice.objects.create(registration=registration, kind=NoticeKind.REMINDER)

    assert _run(meeting.starts_at - DAY, django_capture_on_commit_callbacks).reminders == 0
    assert mailoutbox == []
    assert registration.state == RegistrationState.CONFIRMED
