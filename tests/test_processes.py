"""The Procfile and the systemd units of deploy/ start the same processes."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = "/srv/label-portal/.venv/bin/"


def _procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([a-z]+):\s*(.+)$", line)
        if match:
            processes[match.group(1)] = match.group(2).strip()
    return processes


def _unit(name: str) -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / f"label-portal-{name}.service").read_text().splitlines():
        key, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            values.setdefault(key.strip(), value.strip())
    return values


def test_each_process_of_the_procfile_is_a_systemd_unit_with_the_same_command():
    processes = _procfile()

    assert set(processes) == {"web", "worker", "scheduler"}
    for name, command in processes.items():
        unit = _unit(name)
        assert unit["ExecStart"].removeprefix(VENV_BIN) == command
        assert unit["Restart"] == "always"
        assert unit["EnvironmentFile"] == "/etc/label-portal/env"


def test_the_web_process_uses_the_gunicorn_settings_of_the_repository():
    command = _procfile()["web"].split()

    config = ROOT / command[command.index("-c") + 1]
    assert config.exists()
    assert command[-1] == "label_portal.wsgi"
