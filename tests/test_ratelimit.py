"""The database-backed rate limit shared by every server process."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from core import ratelimit
from core.models import RateLimitHit
from core.ratelimit import Limit, LimitReached


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        "two_per_hour": (2, timedelta(hours=1)),
        "one_per_hour": (1, timedelta(hours=1)),
    }


def test_count_refuses_past_the_limit_and_says_how_long_to_wait(db, limits):
    ratelimit.count(Limit("two_per_hour", "asso@exemple.test"))
    ratelimit.count(Limit("two_per_hour", " ASSO@exemple.test"))

    with pytest.raises(LimitReached) as reached:
        ratelimit.count(Limit("two_per_hour", "asso@exemple.test"))

    assert reached.value.limit == Limit("two_per_hour", "asso@exemple.test")
    assert reached.value.retry_text.replace("\xa0", " ") == "59 minutes"
    ratelimit.count(Limit("two_per_hour", "autre@exemple.test"))


def test_count_records_nothing_when_one_limit_is_reached(db, limits):
    ratelimit.count(Limit("one_per_hour", "192.0.2.1"))

    with pytest.raises(LimitReached) as reached:
        ratelimit.count(Limit("two_per_hour", "a@exemple.test"), Limit("one_per_hour", "192.0.2.1"))

    assert reached.value.limit.name == "one_per_hour"
    assert RateLimitHit.objects.filter(name="two_per_hour").count() == 0


def test_count_forgets_the_hits_whose_window_has_closed(db, limits):
    ratelimit.count(Limit("one_per_hour", "a@exemple.test"))
    RateLimitHit.objects.update(
        expires_at=RateLimitHit.objects.get().expires_at - timedelta(hours=1)
    )

    ratelimit.count(Limit("one_per_hour", "a@exemple.test"))

    assert RateLimitHit.objects.count() == 1


def test_count_keeps_no_address_in_clear(db, limits):
    ratelimit.count(Limit("one_per_hour", "asso@exemple.test"))

    assert "asso" not in RateLimitHit.objects.get().key


def test_count_is_atomic_across_database_connections(transactional_db, limits):
    """Eight processes asking at once for a one-per-hour action: one gets it."""
    start = threading.Barrier(8)
    allowed = []

    def ask():
        start.wait()
        try:
            ratelimit.count(Limit("one_per_hour", "asso@exemple.test"))
        except LimitReached:
            pass
        else:
            allowed.append(True)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed == [True]
    assert RateLimitHit.objects.count() == 1
