import os

import pytest

from label_portal import embedded_db

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL"):
        embedded_db.start()


_db_blocker = None


@pytest.fixture(autouse=True, scope="session")
def _keep_db_blocker(django_db_blocker):
    """Remember pytest-django's database guard, to reload the territory between tests."""
    global _db_blocker
    _db_blocker = django_db_blocker


def _flushes_database(item) -> bool:
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Reload the territory once a test has emptied the database.

    The data migration fills the test database once; a transactional test (the
    browser tests through live_server) empties every table when it ends. The
    territory comes back right after, whatever test the worker runs next (with
    ``--dist worksteal`` an ordinary test may follow a transactional one).
    """
    yield
    # After the worker's last test the test database is gone (nextitem None): nothing to do.
    if nextitem is not None and _flushes_database(item) and _db_blocker is not None:
        from accounts.territory import load_territory

        with _db_blocker.unblock():
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
