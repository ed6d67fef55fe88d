"""Periodic jobs: one registry, one loop (``manage.py run_scheduler``) beside the web server.

Each app registers its jobs in its ``AppConfig.ready`` (``schedule.register``):
a name, a function of the current time that returns a French summary of what
it did, and how often to run it. ``make run`` starts the scheduler beside the
worker; production runs it as a service (deploy/label-portal-scheduler.service).

A job must be idempotent: the scheduler remembers when each job last ran in
its own memory only, so a restart runs every job again at once, and a job run
twice must do its work once (the jobs write a row per mail sent, in the same
transaction, under a unique constraint). A database that restarts does not
stop the loop: the job is tried again after 1 s, 2 s, 4 s… up to 30 s.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.worker import FIRST_DELAY, MAX_DELAY, close_connections

logger = logging.getLogger(__name__)

JobFunction = Callable[[datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    interval: timedelta
    description: str = ""


_registry: dict[str, Job] = {}


def register(name: str, run: JobFunction, *, every: timedelta, description: str = "") -> Job:
    """Add a periodic job (a second registration under the same name replaces the first)."""
    if every <= timedelta(0):
        raise ValueError(f"Job {name}: its interval must be positive")
    job = Job(name=name, run=run, interval=every, description=description)
    _registry[name] = job
    return job


def registered_jobs() -> list[Job]:
    """The registered jobs, in the order they were registered."""
    return list(_registry.values())


@dataclass
class Outcome:
    job: Job
    ok: bool
    summary: str
    # The database did not answer: the job waits for it, the loop backs off.
    retry: bool = False


@dataclass
class Scheduler:
    """Run each job when its interval has passed since its last successful run."""

    jobs: list[Job]
    clock: Callable[[], datetime] = timezone.now
    sleep: Callable[[float], None] = time.sleep
    last_run: dict[str, datetime] = field(default_factory=dict)
    # The wait after a database error, doubled at each new one.
    _delay: float = FIRST_DELAY

    def due(self, now: datetime) -> list[Job]:
        return [
            job
            for job in self.jobs
            if job.name not in self.last_run or self.last_run[job.name] + job.interval <= now
        ]

    def run_job(self, job: Job, now: datetime) -> Outcome:
        """Run one job; a failure is logged and never stops the scheduler."""
        try:
            summary = job.run(now)
        except (OperationalError, InterfaceError) as error:
            # Not marked as run: tried again once the database answers.
            logger.warning(
                "%s : base de données injoignable (%s).",
                job.name,
                str(error).strip() or type(error).__name__,
            )
            close_connections()
            return Outcome(job, False, "base de données injoignable", retry=True)
        except Exception:
            # A bug: logged with its trace; tried again at its next interval, not in a loop.
            logger.exception("%s : échec.", job.name)
            self.last_run[job.name] = now
            return Outcome(job, False, "échec")
        self.last_run[job.name] = now
        logger.info("%s : %s", job.name, summary)
        return Outcome(job, True, summary)

    def run_due(self) -> list[Outcome]:
        now = self.clock()
        return [self.run_job(job, now) for job in self.due(now)]

    def run_all(self) -> list[Outcome]:
        now = self.clock()
        return [self.run_job(job, now) for job in self.jobs]

    def loop(self, *, tick: float, running: Callable[[], bool] = lambda: True) -> None:
        """Run the due jobs every ``tick`` seconds while ``running()``."""
        while running():
            outcomes = self.run_due()
            if any(outcome.retry for outcome in outcomes):
                logger.warning("Nouvel essai dans %g s.", self._delay)
                self._pause(self._delay, running)
                self._delay = min(self._delay * 2, MAX_DELAY)
                continue
            self._delay = FIRST_DELAY
            self._pause(tick, running)

    def _pause(self, seconds: float, running: Callable[[], bool]) -> None:
        # By steps of a second at most: a stop signal is obeyed within a second.
        while seconds > 0 and running():
            step = min(seconds, 1.0)
            self.sleep(step)
            seconds -= step
