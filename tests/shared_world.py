"""Test worlds built once for all the consecutive tests of a worker that use them.

A world is a set of rows several test modules read (the permission matrix's,
the open-data laureates'). It is built inside a transaction opened before the
first test that asks for it; each test then runs in a savepoint of that
transaction (pytest-django's ``db``), so what a test changes is undone before
the next one. The transaction is rolled back as soon as the worker's next test
does not use the same world: no other test ever sees its rows, and the
transactional tests (``transactional_db``, ``live_server``), which empty the
database, never run while it is open.

``tests/conftest.py`` runs the tests of each world one after the other (so a
worker builds each world once, or twice when the other worker takes some of
its tests) and opens and closes the transactions.
"""

import copy
from collections.abc import Callable, Iterator, Mapping

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction


class CopiedOnRead(Mapping):
    """A world's dict, each value deep-copied the first time a test reads it.

    What ``copy.deepcopy`` of the whole dict gives, for the values a test reads: one memo for
    the test, so two values that share an instance (a user, and a project whose author it is)
    still share their copy. The matrix's tests read a handful of the world's hundreds of rows;
    copying them all took more time than most of its requests.
    """

    def __init__(self, source: dict):
        self._source = source
        self._copies: dict = {}
        self._memo: dict = {}

    def __getitem__(self, key):
        if key not in self._copies:
            self._copies[key] = copy.deepcopy(self._source[key], self._memo)
        return self._copies[key]

    def __iter__(self) -> Iterator:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


class SharedWorld:
    def __init__(self, name: str, build: Callable[[], object], *, copied: bool):
        self.name = name
        self.build = build
        self.copied = copied
        self.value: object = None
        self._atomic: transaction.Atomic | None = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self, django_db_blocker) -> None:
        if self.is_open:
            return
        if connection.in_atomic_block:
            pytest.fail(
                f"Le monde « {self.name} » doit être ouvert avant la transaction du test : "
                "demandez la fixture du monde plutôt que la marque django_db.",
                pytrace=False,
            )
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                self.value = self.build_checked()
            except BaseException as error:
                transaction.set_rollback(True)
                atomic.__exit__(type(error), error, error.__traceback__)
                raise
        self._atomic = atomic
        # The test's own fixtures emptied these before the world was built: a
        # mail sent or a page cached while building is not the test's.
        if hasattr(mail, "outbox"):
            del mail.outbox[:]
        cache.clear()

    def build_checked(self) -> object:
        """Build the world, then check the foreign keys of its rows, now and once.

        Left deferred, they were checked again at the end of each of its tests (Django's
        TestCase sets them immediate in the test's savepoint, whose rollback puts them back
        pending): some 15 ms a test for the matrix's world.
        """
        value = self.build()
        connection.check_constraints()
        return value

    def close(self, django_db_blocker) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self.value = self._atomic, None, None
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def fixture(self, name: str = "world"):
        """A function-scoped fixture giving what ``build`` returned (a copy per test when ``copied``).

        A module that uses it imports it (``from … import world``); a test asks for it by name.
        """

        def world(db):
            assert self.value is not None, f"le monde « {self.name} » n'est pas ouvert"
            # A copy: a test may refresh or change the instances it was given.
            if not self.copied:
                return self.value
            if isinstance(self.value, dict):
                return CopiedOnRead(self.value)
            return copy.deepcopy(self.value)

        world.shared_world = self  # type: ignore[attr-defined]
        return pytest.fixture(name=name)(world)


def world_of(item) -> SharedWorld | None:
    """The shared world a test item uses, if any (through whichever fixture name)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name)
        if definitions:
            found = getattr(definitions[-1].func, "shared_world", None)
            if found is not None:
                return found
    return None
