"""The periodic jobs: one registry, the due logic, --once, and a loop that outlives the database."""

import datetime
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from core import schedule
from core.schedule import Job, Scheduler

ROOT = Path(__file__).resolve().parent.parent.parent
T0 = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def _job(name, calls, *, every=15 * MINUTE, fail=None):
    def run(now):
        calls.append((name, now))
        if fail:
            raise fail.pop(0)
        return f"{name} fait"

    return Job(name=name, run=run, interval=every)


def test_the_apps_register_their_jobs_in_one_registry():
    assert [(job.name, job.interval) for job in schedule.registered_jobs()] == [
        ("fichiers-expires", datetime.timedelta(days=1)),
        ("mails-en-attente", datetime.timedelta(minutes=1)),
        ("resumes-quotidiens", datetime.timedelta(hours=1)),
        ("rappels-bilans", datetime.timedelta(hours=1)),
        ("rencontre-mails", datetime.timedelta(minutes=15)),
        ("durees-de-conservation", datetime.timedelta(days=1)),
    ]


def test_a_job_needs_a_positive_interval():
    with pytest.raises(ValueError, match="interval must be positive"):
        schedule.register("jamais", lambda now: "", every=datetime.timedelta(0))


def test_each_job_runs_at_once_then_when_its_interval_has_passed():
    calls = []
    clock = Clock(T0)
    scheduler = Scheduler(
        [_job("court", calls, every=15 * MINUTE), _job("long", calls, every=60 * MINUTE)],
        clock=clock,
    )

    scheduler.run_due()
    clock.now = T0 + 14 * MINUTE
    scheduler.run_due()
    clock.now = T0 + 15 * MINUTE
    outcomes = scheduler.run_due()
    clock.now = T0 + 60 * MINUTE
    scheduler.run_due()

    assert [(o.job.name, o.ok, o.summary) for o in outcomes] == [("court", True, "court fait")]
    assert calls == [
        ("court", T0),
        ("long", T0),
        ("court", T0 + 15 * MINUTE),
        ("court", T0 + 60 * MINUTE),
        ("long", T0 + 60 * MINUTE),
    ]


def test_a_failing_job_is_logged_and_tried_again_at_its_next_interval(caplog):
    calls = []
    clock = Clock(T0)
    scheduler = Scheduler(
        [_job("cassé", calls, fail=[RuntimeError("bogue")]), _job("sain", calls)], clock=clock
    )

    outcomes = scheduler.run_due()
    clock.now = T0 + MINUTE
    assert scheduler.run_due() == []
    clock.now = T0 + 15 * MINUTE
    again = scheduler.run_due()

    assert [(o.job.name, o.ok) for o in outcomes] == [("cassé", False), ("sain", True)]
    assert [(o.job.name, o.ok) for o in again] == [("cassé", True), ("sain", True)]
    assert "cassé : échec." in caplog.text
    assert "bogue" in caplog.text


def test_the_loop_waits_for_the_database_then_runs_the_job_again(caplog, monkeypatch):
    closed = []
    monkeypatch.setattr(schedule, "close_connections", lambda: closed.append(True))
    calls, slept = [], []
    down = [OperationalError("connection refused"), OperationalError("connection refused")]
    scheduler = Scheduler([_job("mails", calls, fail=down)], clock=Clock(T0), sleep=slept.append)

    scheduler.loop(tick=60, running=lambda: len(slept) < 10)

    # Two failures: a wait of 1 s, then of 2 s; the third try succeeds; then the tick.
    # Every wait goes by steps of a second, so that a stop signal is obeyed at once.
    assert [name for name, _now in calls] == ["mails", "mails", "mails"]
    assert slept == [1.0] * 10
    assert closed == [True, True]
    assert scheduler.last_run == {"mails": T0}
    assert "mails : base de données injoignable (connection refused)." in caplog.text
    assert "Nouvel essai dans 2 s." in caplog.text


def test_run_scheduler_once_runs_every_job_and_prints_their_summaries(db):
    out = StringIO()

    call_command("run_scheduler", "--once", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "fichiers-expires : 0 fichiers préparés supprimés"
    assert lines[1] == (
        "mails-en-attente : Mails en attente : 0 mails envoyés, 0 encore en attente, 0 abandonnés."
    )
    # Before 7 h the digests wait for the morning; after, none is due here.
    assert lines[2] in {
        "resumes-quotidiens : Résumés quotidiens : envoyés à partir de 7 h.",
        "resumes-quotidiens : Résumés quotidiens : 0 résumés envoyés, 0 notifications regroupées.",
    }
    assert lines[3].startswith("rappels-bilans : Rappels de bilans du ")
    assert lines[3].endswith(" : 0 mails envoyés (0 avant l'échéance, 0 en retard).")
    assert lines[4] == (
        "rencontre-mails : rencontre annuelle : 0 rappels envoyés, "
        "0 mails d'après-rencontre envoyés."
    )


def test_run_scheduler_lists_its_jobs():
    out = StringIO()

    call_command("run_scheduler", "--list", stdout=out)

    assert out.getvalue().splitlines()[4].startswith("rencontre-mails — toutes les 15 min — ")


def test_make_run_starts_the_scheduler_beside_the_worker_with_its_log():
    make = shutil.which("make")
    assert make
    result = subprocess.run(  # noqa: S603
        [make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )

    [line] = [
        line for line in result.stdout.splitlines() if "run_scheduler" in line and "&" in line
    ]
    assert "manage.py run_scheduler > var/scheduler.log 2>&1 &" in line
    assert "kill $WORKER $SCHEDULER" in result.stdout


def test_production_runs_the_scheduler_as_a_service_and_no_timer_is_left():
    deploy = ROOT / "deploy"
    unit = (deploy / "label-portal-scheduler.service").read_text()

    assert "ExecStart=/srv/label-portal/.venv/bin/python manage.py run_scheduler\n" in unit
    assert "Restart=always" in unit
    assert sorted(path.name for path in deploy.glob("*.timer")) == []
