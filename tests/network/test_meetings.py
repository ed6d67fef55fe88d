"""Preparing the annual meeting: its form's checks, its publication and cancellation, seats."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Event
from core.stale import StaleWrite
from network.enums import MeetingState, RegistrationState
from network.forms import MeetingEditForm, MeetingForm, ProgrammeFormSet
from network.models import Meeting, ProgrammeItem
from network.services import meetings as services
from network.services.registration import cancel_registration
from tests.factories import UserFactory, commune
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NEXT_YEAR = timezone.localdate().year + 1


def _log(obj) -> list[tuple]:
    return [
        (event.workflow, event.action, event.from_state, event.to_state, event.actor)
        for event in Event.objects.for_object(obj)
    ]


def meeting_data(**overrides) -> dict:
    """What a coordinator types for a meeting next June, 9:30 to 17:00."""
    data = {
        "title": "Rencontre annuelle du réseau",
        "year": NEXT_YEAR,
        "starts_at": f"{NEXT_YEAR}-06-12T09:30",
        "ends_at": f"{NEXT_YEAR}-06-12T17:00",
        "place_name": "Hôtel de territoire",
        "address": "2 avenue Youri Gagarine",
        "commune": commune("94081").pk,
        "access_notes": "RER C.",
        "intro": "Une journée pour se rencontrer.",
        "capacity": 80,
        "registration_opens_at": f"{NEXT_YEAR}-04-01T09:00",
        "registration_closes_at": f"{NEXT_YEAR}-06-05T18:00",
        "ask_dietary": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def programme_data(rows=(), initial=0, prefix="programme") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(max(len(rows), 1)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "40",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def _forms(data, instance=None):
    instance = instance or Meeting(year=NEXT_YEAR)
    form_class = MeetingEditForm if instance.pk else MeetingForm
    form = form_class(data, instance=instance)
    formset = ProgrammeFormSet(data, instance=instance, prefix="programme")
    return form, form.is_valid(), formset, formset.is_valid()


def test_the_meeting_form_says_what_is_wrong_with_the_dates_in_french():
    form, valid, _formset, _ok = _forms(
        meeting_data(
            ends_at=f"{NEXT_YEAR}-06-12T09:00",
            registration_closes_at=f"{NEXT_YEAR}-03-01T09:00",
            capacity="0",
        )
    )
    assert not valid
    assert form.errors["ends_at"] == ["La fin doit suivre le début de la rencontre."]
    assert form.errors["registration_closes_at"] == [
        "La clôture des inscriptions doit suivre leur ouverture."
    ]
    assert form.errors["capacity"] == ["Indiquez au moins une place."]


def test_registration_must_close_before_the_meeting_and_the_meeting_last_one_day():
    form, valid, _formset, _ok = _forms(
        meeting_data(
            ends_at=f"{NEXT_YEAR}-06-13T12:00",
            registration_closes_at=f"{NEXT_YEAR}-06-12T10:00",
        )
    )
    assert not valid
    assert form.errors["ends_at"] == [
        "La rencontre se tient sur une journée : elle finit le jour de son début."
    ]
    assert form.errors["registration_closes_at"] == [
        "Les inscriptions doivent fermer avant le début de la rencontre."
    ]


def test_programme_items_stay_within_the_meeting_hours():
    data = {
        **meeting_data(),
        **programme_data(
            [
                {"starts_at": "08:00", "ends_at": "09:00", "title": "Trop tôt"},
                {"starts_at": "16:30", "ends_at": "18:00", "title": "Trop tard"},
                {"starts_at": "11:00", "ends_at": "10:00", "title": "À l'envers"},
                {"starts_at": "14:00", "title": "Plénière", "workshop_capacity": "20"},
            ]
        ),
    }
    _form, valid, formset, formset_ok = _forms(data)
    assert valid
    assert not formset_ok
    assert [dict(errors) for errors in formset.errors] == [
        {"starts_at": ["Ce point doit commencer pendant la rencontre (de 09:30 à 17:00)."]},
        {"ends_at": ["Ce point doit finir avant la fin de la rencontre (de 09:30 à 17:00)."]},
        {"ends_at": ["La fin doit suivre le début de ce point du programme."]},
        {
            "workshop_capacity": [
                "Seul un atelier au choix a des places : cochez « atelier au choix » "
                "ou videz ce champ."
            ]
        },
    ]


def test_creating_a_meeting_twice_with_the_same_key_makes_one_with_its_programme():
    coordinator = UserFactory(coordinator=True)
    data = {
        **meeting_data(submission_key="7c1e4a57-5a4e-4c55-9d1d-1d1d1d1d1d1d"),
        **programme_data(
            [
                {"starts_at": "09:30", "ends_at": "10:00", "title": "Accueil café"},
                {
                    "starts_at": "14:00",
                    "ends_at": "15:30",
                    "title": "Atelier financements",
                    "is_workshop": "on",
                    "workshop_capacity": "20",
                },
            ]
        ),
    }
    made = []
    for _ in range(2):
        form, valid, formset, formset_ok = _forms(data)
        assert valid and formset_ok
        made.append(
            services.meeting_create(
                meeting=form.instance,
                programme=formset.save(commit=False),
                actor=coordinator,
                submission_key=form.cleaned_data["submission_key"],
            )
        )

    assert made[0].pk == made[1].pk
    meeting = Meeting.objects.get()
    assert meeting.state == MeetingState.DRAFT
    assert meeting.slug == "rencontre-annuelle-du-reseau"
    assert timezone.localtime(meeting.starts_at) == datetime(NEXT_YEAR, 6, 12, 9, 30, tzinfo=PARIS)
    assert [(i.starts_at, i.title, i.is_workshop) for i in meeting.programme.all()] == [
        (time(9, 30), "Accueil café", False),
        (time(14, 0), "Atelier financements", True),
    ]
    assert _log(meeting) == [("network-meeting", "create", "draft", "draft", coordinator)]


def test_a_second_meeting_with_the_same_title_gets_its_own_address():
    coordinator = UserFactory(coordinator=True)
    MeetingFactory(title="Rencontre", slug="rencontre")
    form, valid, _formset, _ok = _forms(meeting_data(title="Rencontre"))
    assert valid
    meeting = services.meeting_create(meeting=form.instance, programme=[], actor=coordinator)
    assert meeting.slug == "rencontre-2"


def test_only_the_coordination_creates_a_meeting():
    form, valid, _formset, _ok = _forms(meeting_data())
    assert valid
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(meeting=form.instance, programme=[], actor=UserFactory())
    assert refused.value.messages == ["Seule la coordination prépare la rencontre."]
    assert Meeting.objects.count() == 0


def _edit(meeting, actor, **overrides):
    data = {
        **meeting_data(
            starts_at=timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            ends_at=timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
            registration_opens_at=timezone.localtime(meeting.registration_opens_at).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            registration_closes_at=timezone.localtime(meeting.registration_closes_at).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            year=meeting.year,
            version=meeting.version,
        ),
        **programme_data(),
        **overrides,
    }
    form, valid, formset, formset_ok = _forms(data, instance=meeting)
    assert valid and formset_ok, (form.errors, formset.errors)
    return services.meeting_update(
        meeting=form.instance,
        programme=formset.save(commit=False),
        deleted=formset.deleted_objects,
        actor=actor,
        version=form.cleaned_data["version"],
    )


def test_the_capacity_does_not_go_below_the_seats_given():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(capacity=5)
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, attended=True)
    RegistrationFactory(meeting=meeting, cancelled=True)

    with pytest.raises(ValidationError) as refused:
        _edit(meeting, coordinator, capacity="3")

    assert refused.value.message_dict == {
        "capacity": [
            "4 places sont déjà attribuées : la capacité ne peut pas descendre en dessous. "
            "Pour libérer des places, annulez des inscriptions."
        ]
    }
    meeting.refresh_from_db()
    assert meeting.capacity == 5
    assert _edit(meeting, coordinator, capacity="4").capacity == 4


def test_raising_the_capacity_seats_the_waitlist_in_its_order():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(capacity=2)
    RegistrationFactory.create_batch(2, meeting=meeting)
    now = timezone.now()
    second = RegistrationFactory(meeting=meeting, waitlisted=True, waitlisted_at=now)
    first = RegistrationFactory(
        meeting=meeting, waitlisted=True, waitlisted_at=now - timedelta(minutes=5)
    )
    third = RegistrationFactory(
        meeting=meeting, waitlisted=True, waitlisted_at=now + timedelta(minutes=5)
    )

    saved = _edit(meeting, coordinator, capacity="4")

    assert saved.capacity == 4
    states = {r.pk: r.state for r in meeting.registrations.all()}
    assert [states[first.pk], states[second.pk], states[third.pk]] == [
        RegistrationState.CONFIRMED,
        RegistrationState.CONFIRMED,
        RegistrationState.WAITLISTED,
    ]
    assert _log(first)[-1] == ("network-registration", "seat", "waitlisted", "confirmed", None)
    assert _log(meeting)[-1][:2] == ("network-meeting", "edit")


def test_an_edit_based_on_an_old_version_is_refused_and_changes_nothing():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(capacity=30)
    _edit(meeting, coordinator, capacity="40")
    stale = Meeting.objects.get(pk=meeting.pk)
    stale.version -= 1

    with pytest.raises(StaleWrite):
        _edit(stale, coordinator, capacity="60")

    meeting.refresh_from_db()
    assert (meeting.capacity, meeting.version) == (40, 2)


def test_the_programme_is_edited_and_a_row_deleted():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(
        starts_at=timezone.make_aware(datetime(NEXT_YEAR, 6, 12, 9, 0)),
        ends_at=timezone.make_aware(datetime(NEXT_YEAR, 6, 12, 17, 0)),
        registration_closes_at=timezone.make_aware(datetime(NEXT_YEAR, 6, 1, 9, 0)),
    )
    kept = ProgrammeItemFactory(meeting=meeting, title="Accueil")
    dropped = ProgrammeItemFactory(meeting=meeting, title="Table ronde")
    rows = [
        {"id": kept.pk, "starts_at": "09:30", "ends_at": "10:30", "title": "Accueil et café"},
        {"id": dropped.pk, "starts_at": "09:30", "title": "Table ronde", "DELETE": "on"},
        {"starts_at": "15:00", "title": "Clôture"},
    ]
    _edit(meeting, coordinator, **programme_data(rows, initial=2))

    assert list(meeting.programme.values_list("title", flat=True)) == ["Accueil et café", "Clôture"]
    assert not ProgrammeItem.objects.filter(pk=dropped.pk).exists()


def test_publishing_is_a_logged_transition_that_dates_the_publication():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(draft=True)

    published = services.meeting_transition(meeting=meeting, actor=coordinator, name="publish")

    assert published.state == MeetingState.PUBLISHED
    assert published.published_at is not None
    assert _log(meeting) == [("network-meeting", "publish", "draft", "published", coordinator)]


def test_cancelling_mails_every_active_registration_with_the_reason(
    mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(title="Rencontre 2027")
    seated = RegistrationFactory(meeting=meeting, email="awa@exemple.test", first_name="Awa")
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True, email="leo@exemple.test")
    pending = RegistrationFactory(meeting=meeting, pending=True, email="ines@exemple.test")
    RegistrationFactory(meeting=meeting, cancelled=True, email="parti@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.meeting_transition(
            meeting=meeting, actor=coordinator, name="cancel", reason="La salle est inondée."
        )

    assert cancelled.state == MeetingState.CANCELLED
    assert cancelled.cancel_reason == "La salle est inondée."
    assert _log(meeting) == [("network-meeting", "cancel", "published", "cancelled", coordinator)]
    assert Event.objects.for_object(meeting).get().reason == "La salle est inondée."
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [seated.email, waiting.email, pending.email]
    )
    mail = next(m for m in mailoutbox if m.to == ["awa@exemple.test"])
    assert mail.subject.endswith("Rencontre annulée : Rencontre 2027")
    assert "Bonjour Awa," in mail.body
    assert "La salle est inondée." in mail.body
    assert "Les rencontres du réseau : http://testserver/reseau/rencontres/" in mail.body


def test_cancelling_without_a_reason_is_refused():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as refused:
        services.meeting_transition(meeting=meeting, actor=coordinator, name="cancel")
    assert refused.value.message_dict == {"reason": ["Indiquez le motif."]}
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED


def test_a_coordinator_cancelling_a_seat_gives_it_to_the_first_waitlisted():
    coordinator = UserFactory(coordinator=True)
    meeting = MeetingFactory(capacity=1)
    seated = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)

    cancel_registration(registration=seated, actor=coordinator)

    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.state, waiting.state) == (
        RegistrationState.CANCELLED,
        RegistrationState.CONFIRMED,
    )
