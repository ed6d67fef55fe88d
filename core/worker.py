"""The background task worker, kept alive across database restarts.

django-tasks-db's worker lets any database error other than a lock escape its
loop: after PostgreSQL restarts (or during a failover) the worker dies, and
with ``--reload`` the process even stays up doing nothing, so deposit receipts
and jury PDFs wait forever. This worker closes the broken connections, waits
(1 s, 2 s, 4 s… up to 30 s) and polls again.
"""

import contextlib
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("django_tasks_db")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0


class ResilientWorker(Worker):
    """django-tasks-db's worker, which waits for the database instead of dying."""

    def run(self) -> None:
        delay = FIRST_DELAY
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > MAX_DELAY:
                    delay = FIRST_DELAY  # it had been working: a new outage
                logger.warning(
                    "Base de données injoignable (%s) ; nouvel essai dans %g s.",
                    str(error).strip() or type(error).__name__,
                    delay,
                )
                close_connections()
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)


def close_connections() -> None:
    """Close the database connections, broken ones included: the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        # Already broken, it may fail to close: the next query opens a new one anyway.
        with contextlib.suppress(DatabaseError):
            connection.close()
