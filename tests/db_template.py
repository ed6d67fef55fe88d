"""The migrated database each test worker's database is copied from.

Migrating an empty database takes about 15 s of CPU (Django renders the models
of every migration state), once per pytest-xdist worker and once per run. The
first worker that needs it migrates a template database, named after a
fingerprint of what the migrations put in it (the migration files, the
territory data they load, the installed packages); every worker's test database
is then created as a copy of it (``CREATE DATABASE … TEMPLATE``), and Django's
``migrate`` that follows finds nothing left to apply. The template stays in the
server for the next run; a new fingerprint replaces it.

Django's ``migrate`` still runs on each copy: a migration the fingerprint would
miss is applied there all the same.
"""

import contextlib
import fcntl
import hashlib
from pathlib import Path

import django
from django.conf import settings
from django.db import DatabaseError, connection

BASE_DIR = Path(__file__).resolve().parent.parent
# Besides the migrations: what a data migration reads (the territory's loader and its CSVs).
INPUTS = ("accounts/territory.py", "accounts/data", "requirements.txt")


def fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(django.get_version().encode())
    digest.update("\n".join(settings.INSTALLED_APPS).encode())
    paths = list(BASE_DIR.glob("*/migrations/*.py"))
    for name in INPUTS:
        path = BASE_DIR / name
        paths.extend(path.rglob("*") if path.is_dir() else [path])
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _workers_lock():
    """One worker at a time checks or builds the template (the others wait for it)."""
    folder = BASE_DIR / "var"
    folder.mkdir(exist_ok=True)
    with open(folder / "test-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _databases(prefix: str) -> set[str]:
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE %s",
            [prefix.replace("_", r"\_") + "%"],
        )
        return {row[0] for row in cursor.fetchall()}


def _drop_quietly(name: str) -> None:
    """Drop an outdated template, unless a run of another checkout still copies it."""
    with contextlib.suppress(DatabaseError), connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def _build(name: str) -> None:
    """Create and migrate ``name`` with Django's own test-database creation, then restore."""
    settings_dict = connection.settings_dict
    test_settings = settings_dict["TEST"]
    saved = settings_dict["NAME"], test_settings.get("NAME"), test_settings.get("TEMPLATE")
    test_settings["NAME"], test_settings["TEMPLATE"] = name, None
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    finally:
        connection.close()
        settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = saved[0]
        test_settings["NAME"], test_settings["TEMPLATE"] = saved[1], saved[2]


def use_migrated_template() -> None:
    """Make the test database a copy of the migrated template, building the template if need be."""
    prefix = f"test_{connection.settings_dict['NAME']}_template_"
    name = f"{prefix}{fingerprint()}"
    with _workers_lock():
        existing = _databases(prefix)
        if name not in existing:
            # Built under another name, renamed once complete: an interrupted build is never used.
            partial = f"{name}_partial"
            for old in existing - {partial}:
                if not old.endswith("_partial"):
                    _drop_quietly(old)
            _build(partial)
            with connection._nodb_cursor() as cursor:
                cursor.execute(
                    f"ALTER DATABASE {connection.ops.quote_name(partial)} "
                    f"RENAME TO {connection.ops.quote_name(name)}"
                )
    connection.settings_dict["TEST"]["TEMPLATE"] = name
