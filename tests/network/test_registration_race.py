"""Two people take the last seat at the same moment: exactly one gets it."""

import threading

from django.db import connection

from network import selectors
from network.enums import RegistrationState
from network.services.registration import cancel_registration, register
from tests.factories import UserFactory
from tests.network.factories import MeetingFactory, RegistrationFactory


def _race(actions) -> list:
    """Run the actions in threads (one database connection each), released together."""
    start = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        start.wait()
        try:
            results[index] = action()
        except Exception as error:  # Shown by the assertion below.
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_people_racing_for_the_last_seat_one_gets_it_the_other_is_waitlisted(
    transactional_db,
):
    meeting = MeetingFactory(capacity=2)
    RegistrationFactory(meeting=meeting)
    racers = [UserFactory(), UserFactory()]

    results = _race([lambda user=user: register(meeting=meeting, user=user) for user in racers])

    assert sorted(result.state for result in results) == [
        RegistrationState.CONFIRMED,
        RegistrationState.WAITLISTED,
    ]
    assert selectors.seats_left(meeting) == 0
    assert meeting.registrations.filter(state=RegistrationState.CONFIRMED).count() == 2


def test_a_cancellation_racing_a_registration_leaves_no_seat_empty_and_none_given_twice(
    transactional_db,
):
    meeting = MeetingFactory(capacity=1)
    seated = RegistrationFactory(meeting=meeting)
    waiting = register(meeting=meeting, user=UserFactory())
    newcomer = UserFactory()

    results = _race(
        [
            lambda: cancel_registration(registration=seated, actor=None),
            lambda: register(meeting=meeting, user=newcomer),
        ]
    )

    assert not [result for result in results if isinstance(result, Exception)]
    waiting.refresh_from_db()
    seat_holders = list(
        meeting.registrations.filter(state=RegistrationState.CONFIRMED).values_list("pk", flat=True)
    )
    # The waitlisted person was first in line: the freed seat is theirs whatever the order.
    assert seat_holders == [waiting.pk]
    assert results[1].state == RegistrationState.WAITLISTED
