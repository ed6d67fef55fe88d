"""`make resilience`: PostgreSQL restarted under load; does the portal carry on?

In one run, on the embedded PostgreSQL (a database of its own, recreated):
1. serves the portal under gunicorn with the production settings
   (deploy/gunicorn.conf.py, 3 processes) and runs the task worker beside it;
2. loads it with wrk (8 connections on /healthz, 8 on the home page);
3. stops PostgreSQL in the middle of the load, waits a few seconds, starts it again;
4. measures again once it is back, and queues a task for the worker.

It prints the non-2xx answers and socket errors before, during and after the
restart, and whether the worker ran the task. During the restart the pages
answer 500 (nothing can be read); after it, not one request may fail: the exit
status is 1 otherwise.
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from label_portal import embedded_db  # noqa: E402

PYTHON = sys.executable
DATABASE = "label_portal_resilience"
PORT = 8078
CONNECTIONS = 8
DOWN_SECONDS = 3
PAGES = ("/healthz", "/")
WRK_COUNT = re.compile(r"^\s+(\d+) requests in", re.M)
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
WRK_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def _env(**extra) -> dict:
    socket_dir = quote(str(embedded_db.socket_dir()), safe="")
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{embedded_db.SUPERUSER}@{socket_dir}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "label_portal.settings.base",
        "DJANGO_SECRET_KEY": "resilience-" + "k7Q9p2Lm5Rt8Vb1Nc4Zs6Wd0Hf3Jg7Ke9Ua2Yi5Oq8" * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_HOST": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "ERROR",
        **extra,
    }


def _manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=_env(), check=True)


def _recreate() -> None:
    import psycopg

    settings = embedded_db.connection_settings()
    with psycopg.connect(
        host=settings["HOST"], user=settings["USER"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def _answers(path: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wrk(path: str, seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", "X-Forwarded-Proto: https"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    socket = WRK_SOCKET.search(out)
    non_2xx = WRK_NON_2XX.search(out)
    return {
        "requests": int(WRK_COUNT.search(out).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
    }


def _load_all(seconds: int) -> dict[str, dict]:
    """wrk on every page at once (8 connections each), for ``seconds``."""
    results: dict[str, dict] = {}
    threads = [
        threading.Thread(target=lambda p=path: results.__setitem__(p, wrk(p, seconds)))
        for path in PAGES
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> int:
    if not embedded_db.is_running():
        embedded_db.start()
    print(f"==> Base {DATABASE} neuve, migrée ; fichiers statiques", flush=True)
    _recreate()
    _manage("migrate", "--no-input", "--verbosity", "0")
    _manage("collectstatic", "--no-input", "--verbosity", "0")
    logs = Path(tempfile.mkdtemp(prefix="resilience-"))
    web = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "label_portal.wsgi"],
        cwd=ROOT,
        env=_env(
            GUNICORN_BIND=f"127.0.0.1:{PORT}",
            GUNICORN_WORKERS="3",
            GUNICORN_ACCESS_LOG="/dev/null",
            GUNICORN_LOG_LEVEL="warning",
        ),
        stdout=open(logs / "web.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval=0.5"],
        cwd=ROOT,
        env=_env(),
        stdout=open(logs / "worker.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _answers("/healthz") != 200:
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn n'a pas démarré : voir {logs / 'web.log'}")
            time.sleep(0.5)
        print(f"==> gunicorn (3 processus), wrk {CONNECTIONS} connexions", flush=True)
        phases = {"avant": _load_all(5)}

        def restart():
            time.sleep(3)
            embedded_db.stop()
            time.sleep(DOWN_SECONDS)
            embedded_db.start()

        restarting = threading.Thread(target=restart)
        restarting.start()
        phases["pendant le redémarrage"] = _load_all(3 + DOWN_SECONDS + 6)
        restarting.join()
        phases["après"] = _load_all(5)

        mark = logs / "mark"
        _manage(
            "shell",
            "--verbosity",
            "0",
            "-c",
            f"from tests.worker_tasks import leave_a_mark; leave_a_mark.enqueue({str(mark)!r})",
        )
        deadline = time.monotonic() + 30
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        task_ran = mark.exists() and worker.poll() is None
    finally:
        worker.terminate()
        os.killpg(web.pid, 9)
        web.wait()
        worker.wait(timeout=30)

    print(f"\nPostgreSQL arrêté {DOWN_SECONDS} s sous charge (wrk, {CONNECTIONS} connexions) :\n")
    print("| phase | page | requêtes | non-2xx | erreurs de socket |")
    print("|---|---|---:|---:|---:|")
    for phase, results in phases.items():
        for path in PAGES:
            r = results[path]
            print(
                f"| {phase} | `{path}` | {r['requests']} | {r['non_2xx']} | {r['socket_errors']} |"
            )
    after = phases["après"].values()
    failed_after = sum(r["non_2xx"] + r["socket_errors"] for r in after)
    print(
        f"\nTâche mise en file après le redémarrage : {'exécutée' if task_ran else 'NON exécutée'}"
    )
    print(f"Journaux : {logs}")
    return 0 if failed_after == 0 and task_ran else 1


if __name__ == "__main__":
    sys.exit(main())
