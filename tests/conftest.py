import os

import pytest

from label_portal import embedded_db

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL"):
        embedded_db.start()


@pytest.fixture(autouse=True)
def _territory_after_flush(request):
    """Reload the territory for tests whose database is flushed between tests.

    The data migration fills the test database once; transactional tests
    (browser tests through live_server) empty every table when they end.
    """
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from accounts.territory import load_territory

        request.getfixturevalue("transactional_db")
        load_territory()


@pytest.fixture
def mailoutbox_texts(mailoutbox):
    def texts():
        return [f"{mail.subject}\n{mail.body}" for mail in mailoutbox]

    return texts


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached public page (the cache lives in memory, per process)."""
    from django.core.cache import cache

    cache.clear()
