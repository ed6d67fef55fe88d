"""deploy/gunicorn.conf.py: workers from the CPU count, preloaded, keep-alive, a timeout."""

import gc
import multiprocessing
import os
import runpy
from pathlib import Path

import gunicorn.config

CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def _load(monkeypatch, **env) -> dict:
    for name in [n for n in os.environ if n.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_follow_the_cpu_count_and_the_app_is_preloaded(monkeypatch):
    conf = _load(monkeypatch)

    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert conf["preload_app"] is True
    assert conf["worker_class"] == "gthread"
    assert conf["keepalive"] > 0
    assert conf["timeout"] == 30


def test_every_setting_is_one_gunicorn_knows(monkeypatch):
    known = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    conf = _load(monkeypatch)
    settings = {
        name
        for name, value in conf.items()
        if not name.startswith("_")
        and not callable(value)
        and not hasattr(value, "__path__")
        and name not in ("multiprocessing", "os")
    }

    assert settings <= known


def test_the_environment_changes_a_setting(monkeypatch):
    conf = _load(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="0.0.0.0:9000")

    assert (conf["workers"], conf["bind"]) == (3, "0.0.0.0:9000")


def test_the_master_compiles_the_templates_before_it_forks_the_workers(monkeypatch):
    from django.db import connection
    from django.template import engines

    from label_portal import warmup

    conf = _load(monkeypatch)
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    logged = []
    server = type("Server", (), {"log": type("Log", (), {"info": lambda *a: logged.append(a)})()})

    try:
        conf["when_ready"](server)
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()

    # The workers' collections leave what the master loaded alone.
    assert frozen > 10_000
    # A replaced worker (after max_requests) starts with every template already compiled.
    cached = loader.get_template_cache
    assert {"base.html", "jury/deliberation.html", "email/base.html"} <= set(cached)
    assert len(cached) == logged[0][2] > 200
    assert warmup.warm() == logged[0][2]
    # Nothing is shared with the workers through the fork but memory.
    assert connection.connection is None
