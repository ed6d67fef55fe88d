"""The task worker keeps running tasks after PostgreSQL restarts.

The test runs the real thing: a second embedded PostgreSQL in a temporary
folder (restarting the server the test session itself uses would break every
connection of the session), the worker as a subprocess against it, a restart
of that server, then a task enqueued by another process.
"""

import os
import subprocess
import sys
import time

import pytest

from label_portal import embedded_db
from tests.utils import WORKER_COMMAND


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=embedded_db.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cluster(tmp_path):
    cluster = embedded_db.Cluster(tmp_path / "pg")
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def worker_env(cluster):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "label_portal.settings.dev",
        "DATABASE_URL": cluster.url(),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    migrated = _manage(env, "migrate", "django_tasks_database", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_the_worker_runs_tasks_again_after_postgresql_restarts(cluster, worker_env, tmp_path):
    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        worker = subprocess.Popen(
            WORKER_COMMAND,
            cwd=embedded_db.BASE_DIR,
            env=worker_env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        assert _wait_for(lambda: "Starting worker" in log.read_text(), 20), log.read_text()
        cluster.stop()
        # The worker polls every 0.2 s: it meets the stopped server, says so and carries on.
        assert _wait_for(lambda: "Base de données injoignable" in log.read_text(), 20), (
            log.read_text()
        )
        cluster.start()
        mark = tmp_path / "mark"
        enqueued = _manage(
            worker_env,
            "shell",
            "-c",
            f"from tests.worker_tasks import leave_a_mark; leave_a_mark.enqueue({str(mark)!r})",
        )
        assert enqueued.returncode == 0, enqueued.stderr

        assert _wait_for(mark.exists, 20), log.read_text()
        assert mark.read_text() == "fait"
        assert worker.poll() is None
        assert "Base de données injoignable" in log.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=10)
