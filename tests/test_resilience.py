"""PostgreSQL restarts under load: the web and the task worker carry on.

A restart ends every connection of its clients; ``pg_terminate_backend`` does
the same to the connections of this test's database (the test's own one
excepted, and nothing of the other databases of the server). The portal runs
as in production: gunicorn with deploy/gunicorn.conf.py, connections kept
open between requests and health checked at the start of each one (the
settings of base.py), ``manage.py run_worker`` beside it. Pages are asked by several
threads before, during and after the cut: a request started after it never
fails, and the worker runs a task enqueued after it. (tests/test_worker.py
stops and starts a whole server under the worker.)
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.factories import UserFactory
from tests.utils import WORKER_COMMAND
from tests.worker_tasks import leave_a_mark

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def portal(transactional_db, tmp_path):
    """gunicorn (2 processes × 2 threads) and the task worker, on the test database."""
    port = _free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env = {
        **clean,
        "DATABASE_URL": _database_url(),
        # The same key as the test process: the session it opens is valid in gunicorn.
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "smtp.invalid",
        "SITE_URL": f"http://127.0.0.1:{port}",
    }
    web_env = {
        **env,
        # The test settings: the production ones (persistent connections, health checks)
        # with static files read from the folders, without collectstatic.
        "DJANGO_SETTINGS_MODULE": "label_portal.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    worker_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "label_portal.settings.dev",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    web_log, worker_log = tmp_path / "web.log", tmp_path / "worker.log"
    with open(web_log, "w") as web_out, open(worker_log, "w") as worker_out:
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "label_portal.wsgi",
            ],
            cwd=ROOT,
            env=web_env,
            start_new_session=True,
            stdout=web_out,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            WORKER_COMMAND,
            cwd=ROOT,
            env=worker_env,
            stdout=worker_out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _status(base + "/healthz") == 200, 60), web_log.read_text()
        assert _wait_for(lambda: "Starting worker" in worker_log.read_text(), 60), (
            worker_log.read_text()
        )
        yield {
            "base": base,
            "web": web,
            "worker": worker,
            "web_log": web_log,
            "worker_log": worker_log,
        }
    finally:
        worker.terminate()
        # gunicorn and its processes at once (its own shutdown waits for open connections).
        os.killpg(web.pid, signal.SIGKILL)
        web.wait()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _cut_every_connection() -> int:
    """What a restart does to the portal's connections: end them (this test's one excepted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_pages_and_tasks_carry_on_when_the_database_connections_are_cut(
    portal, client, settings, tmp_path
):
    client.force_login(UserFactory())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    pages = [("/healthz", ""), ("/", ""), ("/espace/", cookie)]
    results: list[tuple[float, float, str, int]] = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            for path, page_cookie in pages:
                started = time.monotonic()
                status = _status(portal["base"] + path, page_cookie)
                results.append((started, time.monotonic(), path, status))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        # Every process has its persistent connection (both gunicorn processes and the
        # worker), and each page has been answered.
        assert _wait_for(
            lambda: len(results) >= 2 * len(pages) and _other_connections() >= 3, 30
        ), (len(results), _other_connections())
        cut_at = time.monotonic()
        cut = _cut_every_connection()
        cut_done = time.monotonic()
        # Enough requests started after the cut have ended (each page a few times).
        assert _wait_for(lambda: len([r for r in results if r[0] > cut_done]) >= 24, 30)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    before = [r for r in results if r[1] < cut_at]
    after = [r for r in results if r[0] > cut_done]
    assert cut >= 3  # the two gunicorn processes and the worker, at least
    assert before and all(status == 200 for *_, status in before)
    # Health-checked at the start of each request: none started after the cut fails.
    failures = [(path, status) for _, _, path, status in after if status != 200]
    assert len(after) >= 12
    assert failures == [], portal["web_log"].read_text()[-3000:]
    assert portal["web"].poll() is None

    # Queued in the database, as the web does in production (the tests run tasks at once).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mark = tmp_path / "mark"
    leave_a_mark.enqueue(str(mark))
    assert _wait_for(mark.exists, 30), portal["worker_log"].read_text()
    assert mark.read_text() == "fait"
    assert portal["worker"].poll() is None
