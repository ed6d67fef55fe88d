"""make backup / make restore: a backup restored into a fresh database finds the same rows."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import AssociationFactory

ROOT = Path(__file__).resolve().parent.parent


def _database_url(name: str) -> str:
    server = connection.settings_dict
    return f"postgres://{server['USER']}@{quote(server['HOST'], safe='')}/{name}"


def _manage(*args: str, database: str, files: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="label_portal.settings.base",
        DJANGO_SECRET_KEY="backup-test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="localhost",
        EMAIL_HOST="localhost",
        DATABASE_URL=_database_url(database),
        MEDIA_ROOT=str(files / "media"),
        PRIVATE_MEDIA_ROOT=str(files / "private"),
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database():
    name = f"restore_{os.getpid()}"
    server = connection.settings_dict
    with psycopg.connect(
        host=server["HOST"], user=server["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        yield name
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
    transactional_db, tmp_path, fresh_database
):
    AssociationFactory(name="Les Jardins partagés d'Orly")
    source = tmp_path / "source"
    (source / "private" / "dossiers").mkdir(parents=True)
    (source / "private" / "dossiers" / "budget.pdf").write_bytes(b"%PDF-1.7 budget")
    (source / "media" / "photos").mkdir(parents=True)
    (source / "media" / "photos" / "jardin.jpg").write_bytes(b"\xff\xd8 photo")

    saved = _manage(
        "backup",
        "--output",
        str(tmp_path / "backups"),
        database=connection.settings_dict["NAME"],
        files=source,
    )
    assert saved.returncode == 0, saved.stderr
    [folder] = (tmp_path / "backups").iterdir()

    target = tmp_path / "target"
    restored = _manage("restore", str(folder), "--no-input", database=fresh_database, files=target)
    assert restored.returncode == 0, restored.stderr

    with psycopg.connect(
        host=connection.settings_dict["HOST"],
        user=connection.settings_dict["USER"],
        dbname=fresh_database,
    ) as copy:
        names = [row[0] for row in copy.execute("SELECT name FROM accounts_association")]
        communes = copy.execute("SELECT count(*) FROM accounts_commune").fetchone()[0]
    assert names == ["Les Jardins partagés d'Orly"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_commune")
        assert communes == cursor.fetchone()[0] > 0
    assert (target / "private" / "dossiers" / "budget.pdf").read_bytes() == b"%PDF-1.7 budget"
    assert (target / "media" / "photos" / "jardin.jpg").read_bytes() == b"\xff\xd8 photo"


def test_restore_refuses_a_folder_that_is_no_backup(tmp_path, db):
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore", str(tmp_path), "--no-input")
