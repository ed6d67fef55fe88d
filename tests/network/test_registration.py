"""Registering to a meeting: seats, the waitlist and its order, promotions, refusals."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import public_cache
from core.models import Event
from network import selectors
from network.enums import RegistrationState
from network.forms import RegistrationForm
from network.models import Registration
from network.services.registration import (
    AlreadyRegistered,
    cancel_registration,
    confirm_address,
    promote_waitlist,
    register,
    registration_refusal,
)
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def visitor(meeting, n=1, **extra):
    return register(
        meeting=meeting,
        first_name="Awa",
        last_name=f"Diallo{n}",
        email=f"awa{n}@exemple.test",
        organisation="Les Jardins partagés",
        **extra,
    )


def seated_visitor(meeting, n=1):
    return confirm_address(registration=visitor(meeting, n))


def test_a_visitor_waits_for_the_address_then_gets_a_seat(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(capacity=2)

    with django_capture_on_commit_callbacks(execute=True):
        registration = visitor(meeting)

    assert registration.state == RegistrationState.REGISTERED
    assert registration.confirmed_at is None
    assert selectors.seats_left(meeting) == 2

    confirmed = confirm_address(registration=registration)

    assert confirmed.state == RegistrationState.CONFIRMED
    assert confirmed.confirmed_at is not None
    assert selectors.seats_left(meeting) == 1
    assert list(Event.objects.for_object(confirmed).values_list("action", "to_state")) == [
        ("seat", RegistrationState.CONFIRMED)
    ]


def test_a_signed_in_person_gets_a_seat_at_once_with_the_account_name():
    meeting = MeetingFactory(capacity=1)
    user = UserFactory(first_name="Nadia", last_name="Haddad", email="Nadia@Exemple.test")

    registration = register(meeting=meeting, user=user, organisation="Asso du Port")

    assert registration.state == RegistrationState.CONFIRMED
    assert (registration.first_name, registration.last_name, registration.email) == (
        "Nadia",
        "Haddad",
        "nadia@exemple.test",
    )
    assert registration.user == user
    assert list(selectors.registrations_of(user)) == [registration]


def test_beyond_capacity_people_are_waitlisted_in_their_order():
    meeting = MeetingFactory(capacity=1)
    first = seated_visitor(meeting, 1)
    second = seated_visitor(meeting, 2)
    third = seated_visitor(meeting, 3)

    assert [first.state, second.state, third.state] == [
        RegistrationState.CONFIRMED,
        RegistrationState.WAITLISTED,
        RegistrationState.WAITLISTED,
    ]
    assert selectors.seats_left(meeting) == 0
    assert [selectors.waitlist_position(r) for r in (first, second, third)] == [None, 1, 2]


def test_a_cancellation_promotes_the_first_waitlisted_person(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(capacity=1)
    seated = seated_visitor(meeting, 1)
    second = seated_visitor(meeting, 2)
    third = seated_visitor(meeting, 3)

    cancelled = cancel_registration(registration=seated, actor=None)

    second.refresh_from_db()
    third.refresh_from_db()
    assert cancelled.state == RegistrationState.CANCELLED
    assert cancelled.cancelled_at is not None
    assert second.state == RegistrationState.CONFIRMED
    assert third.state == RegistrationState.WAITLISTED
    assert selectors.waitlist_position(third) == 1
    assert list(Event.objects.for_object(second).values_list("action", flat=True)) == [
        "waitlist",
        "seat",
    ]


def test_promote_waitlist_fills_every_seat_a_raised_capacity_gives():
    meeting = MeetingFactory(capacity=1)
    seated_visitor(meeting, 1)
    waiting = [seated_visitor(meeting, n) for n in (2, 3, 4)]
    meeting.capacity = 3
    meeting.save(update_fields=["capacity"])

    promoted = promote_waitlist(meeting)

    assert [r.pk for r in promoted] == [waiting[0].pk, waiting[1].pk]
    waiting[2].refresh_from_db()
    assert waiting[2].state == RegistrationState.WAITLISTED
    assert selectors.waitlist_position(waiting[2]) == 1


def test_a_lowered_capacity_keeps_the_seats_given():
    meeting = MeetingFactory(capacity=3)
    RegistrationFactory.create_batch(3, meeting=meeting)
    meeting.capacity = 1
    meeting.save(update_fields=["capacity"])

    assert selectors.seats_left(meeting) == 0
    assert promote_waitlist(meeting) == []


@pytest.mark.parametrize("email", ["awa1@exemple.test", "AWA1@Exemple.Test", " awa1@exemple.test "])
def test_the_same_address_registers_once_whatever_its_case(email):
    meeting = MeetingFactory()
    first = visitor(meeting)

    with pytest.raises(AlreadyRegistered) as refused:
        register(meeting=meeting, first_name="A", last_name="D", email=email)

    assert refused.value.registration == first
    assert refused.value.message_dict["email"][0].startswith(
        "Cette adresse e-mail est déjà inscrite à cette rencontre."
    )
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_the_same_address_may_register_to_another_meeting():
    visitor(MeetingFactory())
    assert visitor(MeetingFactory()).state == RegistrationState.REGISTERED


def test_registering_again_after_cancelling_reuses_the_row_with_a_new_code():
    meeting = MeetingFactory(capacity=5)
    first = seated_visitor(meeting)
    old_code = first.checkin_code
    cancel_registration(registration=first, actor=None)

    again = visitor(meeting, dietary_needs="Végétarien")

    assert again.pk == first.pk
    assert again.state == RegistrationState.REGISTERED
    assert again.checkin_code != old_code
    assert (again.confirmed_at, again.cancelled_at, again.waitlisted_at) == (None, None, None)
    assert Registration.objects.filter(meeting=meeting).count() == 1
    assert list(Event.objects.for_object(again).values_list("action", flat=True)) == [
        "seat",
        "cancel",
        "register_again",
    ]


def test_a_double_click_makes_one_registration():
    meeting = MeetingFactory()
    key = "3f2c1a9e-8d7b-4c6a-9e5f-1a2b3c4d5e6f"

    first = visitor(meeting, submission_key=key)
    second = visitor(meeting, submission_key=key)

    assert first.pk == second.pk
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_the_optional_answers_are_kept_only_when_the_meeting_asks():
    workshop = ProgrammeItemFactory(is_workshop=True, meeting__ask_workshop=True)
    meeting = workshop.meeting

    registration = visitor(
        meeting, dietary_needs="Sans porc", accessibility_needs="Fauteuil", workshop=workshop
    )

    assert (registration.dietary_needs, registration.accessibility_needs) == ("", "")
    assert registration.workshop == workshop


def test_a_workshop_of_another_meeting_is_refused():
    meeting = MeetingFactory(ask_workshop=True)
    other = ProgrammeItemFactory(is_workshop=True)

    with pytest.raises(ValidationError) as refused:
        visitor(meeting, workshop=other)

    assert refused.value.message_dict == {
        "workshop": ["Choisissez un des ateliers de cette rencontre."]
    }


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"closed": True}, "Les inscriptions sont closes depuis le "),
        ({"draft": True}, "Cette rencontre n'est pas encore publiée"),
        ({"past": True}, "Cette rencontre a déjà eu lieu"),
        ({"state": "cancelled"}, "Cette rencontre est annulée"),
        (
            {"registration_opens_at": timezone.now() + timedelta(days=3)},
            "Les inscriptions ouvriront le ",
        ),
    ],
)
def test_registration_outside_its_window_is_refused_in_french(traits, message):
    meeting = MeetingFactory(**traits)

    with pytest.raises(ValidationError) as refused:
        visitor(meeting)

    assert refused.value.messages[0].startswith(message)
    assert registration_refusal(meeting).startswith(message)
    assert not Registration.objects.exists()


def test_a_confirmation_after_closing_is_refused_and_a_second_confirmation_changes_nothing():
    meeting = MeetingFactory()
    registration = visitor(meeting)
    confirmed = confirm_address(registration=registration)

    assert confirm_address(registration=registration).state == RegistrationState.CONFIRMED
    assert Event.objects.for_object(confirmed).count() == 1

    late = visitor(meeting, 2)
    meeting.registration_closes_at = timezone.now() - timedelta(minutes=1)
    meeting.registration_opens_at = timezone.now() - timedelta(days=1)
    meeting.save()
    with pytest.raises(ValidationError) as refused:
        confirm_address(registration=late)
    assert refused.value.messages[0].startswith("Les inscriptions sont closes")


def test_the_registrant_and_the_coordination_cancel_and_the_event_says_who():
    meeting = MeetingFactory()
    user = UserFactory()
    mine = register(meeting=meeting, user=user)
    other = seated_visitor(meeting, 2)
    coordinator = UserFactory(coordinator=True)

    cancel_registration(registration=mine, actor=user)
    cancel_registration(registration=other, actor=coordinator)

    assert Event.objects.for_object(mine).last().actor == user
    assert Event.objects.for_object(other).last().actor == coordinator


def test_a_stranger_cannot_cancel_someone_elses_registration():
    registration = RegistrationFactory(user=UserFactory())

    with pytest.raises(ValidationError):
        cancel_registration(registration=registration, actor=UserFactory())

    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED


def test_an_attended_registration_cannot_be_cancelled():
    registration = RegistrationFactory(attended=True)

    with pytest.raises(ValidationError) as refused:
        cancel_registration(registration=registration, actor=None)

    assert refused.value.messages == ["Cette inscription ne peut plus être annulée."]


def test_a_registration_makes_the_cached_public_pages_stale():
    meeting = MeetingFactory()
    before = public_cache.public_version()

    visitor(meeting)

    assert public_cache.public_version() != before


def test_a_workshop_with_its_own_places_takes_no_more_and_the_form_says_so():
    workshop = ProgrammeItemFactory(
        is_workshop=True, workshop_capacity=1, title="Atelier jardin", meeting__ask_workshop=True
    )
    meeting = workshop.meeting
    open_workshop = ProgrammeItemFactory(meeting=meeting, is_workshop=True, title="Atelier vélo")
    form = RegistrationForm(meeting=meeting, signed_in=False)
    assert [label for _value, label in form.fields["workshop"].choices] == [
        "Je choisirai sur place",
        "09 h 30 : Atelier jardin (1 place restante)",
        "09 h 30 : Atelier vélo",
    ]
    visitor(meeting, 1, workshop=workshop)

    with pytest.raises(ValidationError) as refused:
        visitor(meeting, 2, workshop=workshop)

    assert refused.value.message_dict == {
        "workshop": [
            "L'atelier « Atelier jardin » est complet : choisissez-en un autre, "
            "ou « Je choisirai sur place »."
        ]
    }
    assert visitor(meeting, 3, workshop=open_workshop).workshop == open_workshop
    form = RegistrationForm(meeting=meeting, signed_in=False)
    assert "09 h 30 : Atelier jardin (complet)" in [
        label for _value, label in form.fields["workshop"].choices
    ]
