"""``make run`` starts the scheduler and the worker beside the web process, each given the
address people open."""

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_commands(*args, **env) -> list[str]:
    """The commands ``make run`` would start (``make -n``: nothing runs)."""
    make = shutil.which("make")
    assert make, "make is needed: it is the project's entry point"
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    result = subprocess.run(  # noqa: S603
        [make, "-n", "run", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [
        line
        for line in result.stdout.splitlines()
        if any(
            f"python manage.py {command}" in line
            for command in ("run_worker", "run_scheduler", "runserver")
        )
    ]


def test_mails_link_to_the_port_the_portal_is_served_on():
    worker, scheduler, web = _run_commands("PORT=8001")

    assert worker.startswith("SITE_URL='http://127.0.0.1:8001' ")
    # The scheduled mails (meeting reminders, report reminders) leave by themselves.
    assert scheduler.startswith(
        "SITE_URL='http://127.0.0.1:8001' .venv/bin/python manage.py run_scheduler "
    )
    assert (
        web
        == "SITE_URL='http://127.0.0.1:8001' .venv/bin/python manage.py runserver 127.0.0.1:8001"
    )


def test_an_address_given_by_the_environment_wins():
    worker, scheduler, web = _run_commands(SITE_URL="https://label.exemple.fr")

    assert worker.startswith("SITE_URL='https://label.exemple.fr' ")
    assert scheduler.startswith("SITE_URL='https://label.exemple.fr' ")
    assert web.startswith("SITE_URL='https://label.exemple.fr' ")
    assert web.endswith("runserver 127.0.0.1:8000")


def test_make_test_checks_format_and_types_runs_two_workers_and_prints_its_duration():
    make = shutil.which("make")
    assert make
    result = subprocess.run(  # noqa: S603
        [make, "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )

    assert "ruff format --check ." in result.stdout
    assert (
        ".venv/bin/mypy core accounts submissions/selectors.py submissions/rules.py "
        "submissions/workflows.py submissions/services jury/selectors.py jury/rules.py "
        "jury/workflows.py jury/services notifications coordination privacy &&"
    ) in result.stdout
    assert "Durée" in result.stdout
    assert ".venv/bin/pytest -n 2 --dist worksteal" in result.stdout


def test_mypy_switches_no_error_code_off():
    """A wrong type is fixed where it is (or ignored on its line, with its code and why)."""
    configuration = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]

    assert [o for o in configuration.get("overrides", []) if "disable_error_code" in o] == []
    assert "disable_error_code" not in configuration
