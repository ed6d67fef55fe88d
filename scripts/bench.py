"""The benchmark behind ``make bench``: each page's throughput as a ratio of /healthz.

In one run it:

1. fills two fresh databases on the embedded PostgreSQL with the generated
   dataset (``bench/data.py``): a tenth (scale 0.1) and the full one
   (10,000 projects, 2,000 laureates over 9 editions, ~50,000 evaluations,
   200 auditions in one session, 1,000 meeting registrations);
2. counts each page's SQL queries on both (they must be equal: nothing grows
   with the data);
3. serves the full one under gunicorn with the production settings
   (``label_portal.settings.base``, DEBUG off, 3 workers) behind a pretend TLS
   proxy (``X-Forwarded-Proto: https``);
4. measures every page with wrk (8 connections), each between two /healthz
   runs, in several rounds over the whole list, and prints the median of its
   rounds: requests per second as a share of /healthz's, p50 and p99
   latencies, and the lowest and highest share of its rounds.

The table goes to ``var/bench/latest.md`` (and the raw figures to
``latest.json``). Ratios, not absolute times: they compare pages measured on
the same machine in the same minute.

    python scripts/bench.py [--duration 3] [--rounds 3] [--connections 8] [--skip-seed]
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUTPUT = ROOT / "var" / "bench"
FULL_DB = "label_portal_bench"
SMALL_DB = "label_portal_bench_small"
# Several benchmarks may run on one machine (one per worktree): BENCH_PORT keeps them apart.
PORT = int(os.environ.get("BENCH_PORT", "8077"))
# One key for the whole run: the sessions made by one process are read by gunicorn.
SECRET_KEY = secrets.token_urlsafe(50)
# Targets of the issue: shares of /healthz's throughput, and the slowest acceptable p99.
PUBLIC_TARGET = 0.50
SIGNED_IN_TARGET = 0.15
P99_TARGET_MS = 100.0


# --- Inside Django: the pages, the sessions, the query counts --------------------------------


def _pages() -> list[dict]:
    """Every page to measure, with the role that opens it (None: a visitor)."""
    from django.urls import reverse

    from accounts.models import User
    from jury.models import JurySession
    from laureates.models import Laureate
    from network.models import Meeting
    from submissions.enums import ProjectState
    from submissions.models import Edition, Project

    current = Edition.objects.order_by("-year").first()
    session = JurySession.objects.filter(edition=current).first()
    # The first project heard: every juror of the bench declared and scored it.
    heard = session.auditions.order_by("position", "pk").values_list("project_id", flat=True)[0]
    laureate = Laureate.objects.filter(is_public=True).order_by("-year", "pk").first()
    meeting = Meeting.objects.order_by("-starts_at").first()
    member = User.objects.filter(email="membre1@bench.test").get()
    project = Project.objects.filter(association__members=member).order_by("-pk").first()
    officer = User.objects.exclude(officer_contract=None).order_by("pk").first()
    officer_project = (
        Project.objects.filter(city_contract=officer.officer_contract, edition=current)
        .exclude(state=ProjectState.DRAFT)
        .order_by("pk")
        .first()
    )
    pages = [
        ("Accueil", None, reverse("home")),
        ("Contrats de ville", None, reverse("territory:contracts")),
        ("Lauréats", None, reverse("laureates:list")),
        ("Lauréats d'une année", None, reverse("laureates:year", args=[laureate.year])),
        ("Fiche lauréat", None, reverse("laureates:detail", args=[laureate.year, laureate.slug])),
        ("Réseau", None, reverse("network:index")),
        ("Rencontres", None, reverse("network:archive")),
        ("Rencontre", None, reverse("network:meeting", args=[meeting.slug])),
        ("Accessibilité", None, reverse("pages:accessibility")),
        ("Mentions légales", None, reverse("pages:legal")),
        ("Données personnelles", None, reverse("pages:privacy")),
        ("Plan du site", None, reverse("pages:sitemap")),
        ("Espace — association", "member", reverse("dashboard")),
        (
            "Projet — association",
            "member",
            reverse("submissions:project_detail", args=[project.pk]),
        ),
        ("Espace — chef de projet", "officer", reverse("dashboard")),
        ("Boîte de réception — chef de projet", "officer", reverse("submissions:inbox")),
        (
            "Projet — chef de projet",
            "officer",
            reverse("submissions:project_detail", args=[officer_project.pk]),
        ),
        ("Espace — juré", "juror", reverse("dashboard")),
        ("Séance — juré", "juror", reverse("jury:session_detail", args=[session.pk])),
        ("Déclarations — juré", "juror", reverse("jury:declarations", args=[session.pk])),
        ("Évaluation — juré", "juror", reverse("jury:evaluation", args=[session.pk, heard])),
        ("Espace — coordination", "coordinator", reverse("dashboard")),
        ("Boîte de réception — coordination", "coordinator", reverse("submissions:inbox")),
        ("Résultats du jury", "coordinator", reverse("jury:results", args=[session.pk])),
        ("Délibération", "coordinator", reverse("jury:deliberation", args=[session.pk])),
        (
            "Proposition du jury",
            "coordinator",
            reverse("jury:proposal_save", args=[session.pk, heard]),
        ),
        ("Pilotage", "coordinator", reverse("coordination:dashboard")),
    ]
    return [{"name": name, "role": role, "path": path} for name, role, path in pages]


def _role_users() -> dict:
    from accounts.models import User

    return {
        "member": User.objects.get(email="membre1@bench.test"),
        "officer": User.objects.exclude(officer_contract=None).order_by("pk").first(),
        "juror": User.objects.filter(is_juror=True).order_by("pk").first(),
        "coordinator": User.objects.get(email="coordination@bench.test"),
    }


def _session_cookies() -> dict[str, str]:
    """A signed-in session per role, as the Cookie header a browser would send."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string

    cookies = {}
    for role, user in _role_users().items():
        client = Client()
        client.force_login(user, backend="accounts.backends.EmailBackend")
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        # A browser also holds the CSRF cookie it was given with the sign-in form.
        cookies[role] = (
            f"{settings.SESSION_COOKIE_NAME}={key}; "
            f"{settings.CSRF_COOKIE_NAME}="
            f"{get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)}"
        )
    return cookies


def _query_counts(pages: list[dict]) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = _role_users()
    counts = {}
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if page["role"]:
            client.force_login(users[page["role"]])
        client.get(page["path"])  # warm: caches, content types, the first session read
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"])
        if response.status_code != 200:
            raise SystemExit(
                f"{page['path']} ({page['role']}) : {response.status_code} "
                f"{response.get('Location', '')}"
            )
        counts[page["name"] + "|" + (page["role"] or "")] = len(queries)
    return counts


def inside(mode: str, scale: float) -> None:
    """Run inside Django (a child process pointed at one database); print JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if mode == "seed":
        from accounts.territory import load_territory
        from bench.data import generate

        load_territory()
        print(json.dumps(generate(scale=scale), ensure_ascii=False))
        return
    pages = _pages()
    if mode == "queries":
        print(json.dumps(_query_counts(pages)))
    else:
        print(json.dumps({"pages": pages, "cookies": _session_cookies()}))


# --- Outside: databases, gunicorn, wrk ------------------------------------------------------


def _embedded_url(database: str) -> str:
    out = subprocess.run(
        [PYTHON, "-c", "from label_portal import embedded_db; print(embedded_db.socket_dir())"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return f"postgres://postgres@{quote(out.stdout.strip(), safe='')}/{database}"


def _env(database: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_embedded_url(database),
        DJANGO_SETTINGS_MODULE="label_portal.settings.base",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"https://127.0.0.1:{PORT}",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def _manage(database: str, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=_env(database),
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else ""


def _recreate(database: str) -> None:
    script = (
        "import psycopg; from label_portal import embedded_db as e; "
        "s = e.connection_settings(); "
        "c = psycopg.connect(host=s['HOST'], user=s['USER'], dbname='postgres', autocommit=True); "
        f"c.execute('DROP DATABASE IF EXISTS {database} WITH (FORCE)'); "
        f"c.execute('CREATE DATABASE {database}')"
    )
    subprocess.run([PYTHON, "-c", script], cwd=ROOT, check=True)


def seed(database: str, scale: float) -> None:
    print(f"==> Base {database} : jeu de données à l'échelle {scale}", flush=True)
    _recreate(database)
    _manage(database, "migrate", "--no-input", "--verbosity", "0")
    started = time.monotonic()
    for name, count in _inside(database, "seed", scale).items():
        print(f"    {name} : {count}")
    print(f"    rempli en {time.monotonic() - started:.0f} s", flush=True)


def _inside(database: str, mode: str, scale: float = 1.0) -> dict:
    out = subprocess.run(
        [PYTHON, __file__, "--inside", mode, "--scale", str(scale)],
        cwd=ROOT,
        env=_env(database),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(path: str, cookie: str, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        "--latency",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{PORT}{path}")
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latencies = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_LATENCY.findall(out)}
    errors = WRK_ERRORS.search(out)
    return {
        "rps": float(WRK_RATE.search(out).group(1)),
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "errors": errors.group(0) if errors else "",
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def unmeasurable(path: str, cookie: str) -> str:
    """Why the page cannot be measured ("" when it answers 200 itself within gunicorn's timeout).

    A redirect (to sign in…) would measure nothing; a page slower than the
    timeout is a result in itself, written in the table, and the run goes on.
    """
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-Proto": "https", "Cookie": cookie}
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=35) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (TimeoutError, urllib.error.URLError) as error:
        return f"pas de réponse ({error})"
    return "" if status == 200 else f"répond {status} au lieu de 200"


def serve(database: str) -> subprocess.Popen:
    """gunicorn with the production configuration (deploy/gunicorn.conf.py), 3 workers."""
    command = [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "label_portal.wsgi"]
    server_env = _env(
        database,
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS=os.environ.get("BENCH_WORKERS", "3"),
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
    )
    server = subprocess.Popen(command, cwd=ROOT, env=server_env, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn n'a pas démarré.")


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = found.group(1).strip() if found else ""
    return f"{os.cpu_count()} cœurs {model}".strip() + f", {platform.system()} {platform.release()}"


def measure_pages(
    pages: list[dict], cookies: dict, small: dict, full: dict, options
) -> tuple[list[dict], list[float]]:
    """Each page's figures: the median of several rounds over every page.

    In a round each page runs between two /healthz runs (the run after one page
    is the one before the next), so its ratio compares figures of the same
    minute. The rounds go over the whole list in turn: a burst of the machine's
    noise falls on one round of a page, not on all of them, and the median
    leaves it out.
    """

    def measure(path: str, cookie: str = "", duration: int = options.duration) -> dict:
        return wrk(path, cookie, duration, options.connections)

    runs: dict[str, list[dict]] = {}
    problems: dict[str, str] = {}
    healthz_runs = []
    measure("/healthz", duration=1)  # warm: the workers, their connections
    for number in range(1, options.rounds + 1):
        print(f"    tour {number} sur {options.rounds}", flush=True)
        before = measure("/healthz")
        healthz_runs.append(before["rps"])
        for page in pages:
            cookie = cookies.get(page["role"], "") if page["role"] else ""
            if number == 1:
                problems[page["name"]] = unmeasurable(page["path"], cookie)
                if not problems[page["name"]]:
                    measure(page["path"], cookie, duration=1)  # warm: caches, templates
            if problems[page["name"]]:
                continue
            figures = measure(page["path"], cookie)
            after = measure("/healthz")
            healthz_runs.append(after["rps"])
            reference = (before["rps"] + after["rps"]) / 2
            before = after
            # /healthz itself waits while every worker is stuck on a page slower than
            # wrk's timeout.
            figures["ratio"] = figures["rps"] / reference if reference else 0.0
            runs.setdefault(page["name"], []).append(figures)
            print(
                f"    {page['name']:<40} {figures['rps']:8.0f} req/s  {figures['ratio']:5.0%}"
                f"  p99 {_ms(figures['p99'])} ms  {figures['errors']}",
                flush=True,
            )
    results = []
    for page in pages:
        key = page["name"] + "|" + (page["role"] or "")
        queries = {"queries_small": small.get(key), "queries_full": full.get(key)}
        if problems[page["name"]]:
            row = {**page, **queries, "rps": 0.0, "p50": None, "p99": None, "ratio": 0.0}
            results.append({**row, "ratios": [], "errors": problems[page["name"]]})
        else:
            results.append({**page, **queries, **combine(runs[page["name"]])})
    return results, healthz_runs


def combine(runs: list[dict]) -> dict:
    """One page's rounds as one row: the median of each figure, and every round's ratio."""

    def median_of(name: str) -> float | None:
        values = [run[name] for run in runs]
        return None if None in values else statistics.median(values)

    return {
        "rps": median_of("rps"),
        "ratio": median_of("ratio"),
        "p50": median_of("p50"),
        "p99": median_of("p99"),
        "ratios": sorted(run["ratio"] for run in runs),
        "errors": " ; ".join(sorted({run["errors"] for run in runs if run["errors"]})),
    }


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _spread(ratios: list[float]) -> str:
    """The lowest and highest of a page's rounds (« 21–29 % »)."""
    if not ratios:
        return "—"
    low, high = round(min(ratios) * 100), round(max(ratios) * 100)
    return f"{low} %" if low == high else f"{low}–{high} %"


def table(results: list[dict], healthz: float, when: str, settings: str) -> str:
    lines = [
        f"Banc d'essai du {when} — {machine()} — {settings}.",
        "",
        f"/healthz : {healthz:.0f} requêtes/s (moyenne des mesures encadrant chaque page). "
        "Chaque chiffre d'une page est la médiane de ses tours ; « tours » donne la plus basse "
        "et la plus haute de ses parts de /healthz.",
        "",
        "| Page | Rôle | req/s | part de /healthz | tours | cible | p50 (ms) | p99 (ms) "
        "| requêtes SQL 1× | requêtes SQL 10× |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        target = PUBLIC_TARGET if not row["role"] else SIGNED_IN_TARGET
        met = row["ratio"] >= target and row["p99"] is not None and row["p99"] < P99_TARGET_MS
        lines.append(
            f"| {row['name']}{' — ' + row['errors'] if row['errors'] else ''} "
            f"| {row['role'] or 'visiteur'} | {row['rps']:.0f} "
            f"| {row['ratio']:.0%} | {_spread(row['ratios'])} | {'✔' if met else '✘'} ≥ {target:.0%} "
            f"| {_ms(row['p50'])} | {_ms(row['p99'])} | {row['queries_small']} "
            f"| {row['queries_full']}{'' if row['queries_small'] == row['queries_full'] else ' ✘'} |"
        )
    missed = [
        r
        for r in results
        if r["ratio"] < (PUBLIC_TARGET if not r["role"] else SIGNED_IN_TARGET)
        or r["p99"] is None
        or r["p99"] >= P99_TARGET_MS
        or r["queries_small"] != r["queries_full"]
    ]
    lines += [
        "",
        f"Cibles : pages publiques ≥ {PUBLIC_TARGET:.0%} de /healthz, pages connectées ≥ "
        f"{SIGNED_IN_TARGET:.0%}, p99 < {P99_TARGET_MS:.0f} ms, même nombre de requêtes à 1× et 10×.",
        f"Pages sous leur cible : {len(missed)} sur {len(results)}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=3, help="secondes de wrk par mesure")
    parser.add_argument("--rounds", type=int, default=3, help="tours de mesure de chaque page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-seed", action="store_true", help="garder les bases déjà remplies")
    parser.add_argument("--quick", action="store_true", help="essai : la petite base seule")
    parser.add_argument("--only", default="", help="ne mesurer que les pages dont le nom contient…")
    parser.add_argument("--inside", choices=["seed", "pages", "queries"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inside:
        inside(options.inside, options.scale)
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk manque : sudo apt-get install wrk (make bench l'installe).")
    # --quick: the tenth only, served and measured (a trial of the script, not a result).
    served = SMALL_DB if options.quick else FULL_DB
    if not options.skip_seed:
        seed(SMALL_DB, 0.1)
        if not options.quick:
            seed(FULL_DB, 1.0)
    _manage(served, "collectstatic", "--no-input", "--verbosity", "0")
    print("==> Requêtes SQL par page (1× et 10×)", flush=True)
    small = _inside(SMALL_DB, "queries")
    full = _inside(served, "queries")
    prepared = _inside(served, "pages")
    pages = [p for p in prepared["pages"] if options.only.lower() in p["name"].lower()]
    print("==> gunicorn (3 workers, réglages de production) et wrk", flush=True)
    server = serve(served)
    try:
        results, healthz_runs = measure_pages(pages, prepared["cookies"], small, full, options)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=35)
        except subprocess.TimeoutExpired:  # a worker still busy on a page past its timeout
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    healthz = sum(healthz_runs) / len(healthz_runs)
    settings = (
        f"gunicorn 3 workers, wrk {options.connections} connexions, {options.rounds} tours "
        f"de {options.duration} s par page (médiane des tours)"
    )
    text = table(results, healthz, when, settings)
    (OUTPUT / "latest.md").write_text(text)
    (OUTPUT / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
