import os

import pytest

from label_portal import embedded_db
from tests import quick_flush
from tests.shared_world import world_of

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL"):
        embedded_db.start()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_blocker):
    """Create the test database as a copy of a migrated template (tests/db_template.py)."""
    from tests.db_template import use_migrated_template

    with django_db_blocker.unblock():
        use_migrated_template()


_db_blocker = None


@pytest.fixture(autouse=True, scope="session")
def _keep_db_blocker(django_db_blocker):
    """Remember pytest-django's database guard, to put the territory back between tests."""
    global _db_blocker
    _db_blocker = django_db_blocker


def _flushes_database(item) -> bool:
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


class _TerritorySnapshot:
    """The territory rows as the data migration left them, to put back after a flush.

    Reloading them with ``load_territory`` (one query or more per row) took about
    a second after each transactional test; this is one INSERT per table.
    """

    def __init__(self):
        from accounts.models import CityContract, Commune, Qpv

        # In the order of their foreign keys; then Qpv.communes.
        self.models = [CityContract, Commune, Qpv, Qpv.communes.through]
        self.rows = {model: list(model.objects.all()) for model in self.models}

    def restore(self):
        from django.core.management.color import no_style
        from django.db import connection, transaction

        with transaction.atomic():
            for model in self.models:
                model.objects.bulk_create(self.rows[model])
            # The sequences continue after the restored ids, whatever a test reset.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                    cursor.execute(sql)


_territory = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; its territory is kept to put back after each flush."""
    global _territory
    quick_flush.install()
    with django_db_blocker.unblock():
        _territory = _TerritorySnapshot()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the territory back once a test has emptied the database.

    The data migration fills the test database once; a transactional test (the
    browser tests through live_server) empties every table when it ends. The
    territory comes back right after, whatever test the worker runs next (with
    ``--dist worksteal`` an ordinary test may follow a transactional one).
    """
    yield
    # After the worker's last test the test database is gone (nextitem None): nothing to do.
    if nextitem is not None and _flushes_database(item) and _db_blocker is not None:
        with _db_blocker.unblock():
            if _territory is not None:
                _territory.restore()
            else:
                from accounts.territory import load_territory

                load_territory()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests of each shared world one after the other, before the other tests.

    After pytest-django's order (tests in a transaction, then the transactional
    ones, then those without a database): a worker then builds each world once
    for all its tests, whatever module they are in (see tests/shared_world.py).
    With ``--dist worksteal`` each worker starts with a contiguous half of this
    list, so at most both workers build a world.
    """
    worlds = []
    for item in items:
        world = world_of(item)
        if world is not None and world not in worlds:
            worlds.append(world)
    rank = {world: position for position, world in enumerate(worlds)}
    items.sort(key=lambda item: rank.get(world_of(item), len(worlds)))
    _longest_browser_journeys_first(items)


# The browser journeys that take longest (``--durations``), longest first. The last test a
# worker starts decides when the run ends: the long ones start first, and the short ones
# fill in at the end, on whichever worker is free.
LONGEST_BROWSER_TESTS = [
    "test_jury_session.py::test_a_whole_jury_session_through_the_ui",
    "test_submission_path.py::test_the_whole_path_with_the_mouse",
    "test_submission_path.py::test_the_whole_path_with_the_keyboard_alone",
    "test_jury_session.py::test_every_jury_page_at_320_px",
    "test_accessibility.py::test_anonymous_pages",
    "test_network_registration.py::test_visitors_register_wait_and_are_promoted_when_a_seat_frees",
    "test_network_meetings.py::test_a_coordinator_prepares_publishes_and_finds_the_meeting_on",
    "test_network_directory.py::test_a_member_shares_its_contact_with_the_network_only",
    "test_followup.py::test_from_a_milestone_to_the_project_completed",
    "test_laureate_cards.py::test_a_coordinator_reviews_edits_and_publishes_an_edition",
]


def _journey_rank(item) -> int:
    for position, name in enumerate(LONGEST_BROWSER_TESTS):
        if name in item.nodeid:
            return position
    return len(LONGEST_BROWSER_TESTS)


def _longest_browser_journeys_first(items) -> None:
    """Put the longest browser tests first among the browser tests, the others where they were."""
    places = [index for index, item in enumerate(items) if item.get_closest_marker("browser")]
    journeys = sorted((items[index] for index in places), key=_journey_rank)
    for index, item in zip(places, journeys, strict=True):
        items[index] = item


_next_item = None


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Remember the test that comes next, for ``_shared_world_transaction``."""
    global _next_item
    _next_item = nextitem
    yield


@pytest.fixture(scope="session")
def _shared_worlds(django_db_setup, django_db_blocker):
    """The worlds opened in this worker; any still open is rolled back before the database goes."""
    opened = set()
    yield opened
    for world in opened:
        world.close(django_db_blocker)


@pytest.fixture(autouse=True)
def _shared_world_transaction(request):
    """Open the transaction of the test's shared world (before its own savepoint).

    It stays open while the worker's next tests use the same world, and is
    rolled back before any other test.
    """
    world = world_of(request.node)
    if world is None:
        yield
        return
    if _flushes_database(request.node):
        pytest.fail(
            f"Le monde « {world.name} » vit dans une transaction : un test transactionnel "
            "(transactional_db, live_server) ne peut pas s'en servir.",
            pytrace=False,
        )
    opened = request.getfixturevalue("_shared_worlds")
    blocker = request.getfixturevalue("django_db_blocker")
    world.open(blocker)
    opened.add(world)
    yield
    if _next_item is None or world_of(_next_item) is not world:
        world.close(blocker)


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
