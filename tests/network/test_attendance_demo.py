"""The demo's meetings: this year's full with its waitlist, last year's held."""

import datetime

from django.utils import timezone

from accounts.demo import seed_people
from network.demo import CAPACITY, WAITLIST, seed_meetings
from network.enums import MeetingState, RegistrationState
from network.models import Meeting
from network.selectors import past_meetings, upcoming_meeting
from network.services.registration import registration_refusal


def test_the_demo_has_a_full_meeting_ahead_with_a_waitlist_and_one_held_last_year(db):
    seed_people()

    count = seed_meetings()

    assert count == seed_meetings() == Meeting.objects.count() == 2
    current = upcoming_meeting()
    assert current.state == MeetingState.PUBLISHED
    days_ahead = (timezone.localdate(current.starts_at) - timezone.localdate()).days
    assert 14 <= days_ahead <= 42
    assert registration_refusal(current) is None
    states = list(current.registrations.values_list("state", flat=True))
    assert states.count(RegistrationState.CONFIRMED) == current.capacity == CAPACITY
    assert states.count(RegistrationState.WAITLISTED) == WAITLIST == 3
    waitlist = current.registrations.filter(state=RegistrationState.WAITLISTED)
    assert all(registration.waitlisted_at for registration in waitlist)
    assert current.programme.filter(is_workshop=True).count() == 2
    assert current.registrations.exclude(workshop=None).count() == CAPACITY + WAITLIST
    assert current.registrations.exclude(dietary_needs="").exists()
    assert current.registrations.exclude(accessibility_needs="").exists()
    assert current.registrations.filter(user__email="asso.alpha@demo.test").exists()
    assert current.registrations.filter(user=None).exists()

    [past] = past_meetings()
    assert timezone.localdate(past.starts_at).year == timezone.localdate().year - 1
    assert past.material
    assert past.programme.count() == 6
    assert past.registrations.filter(state=RegistrationState.ATTENDED).count() == 9
    assert timezone.now() - past.ends_at > datetime.timedelta(days=300)
