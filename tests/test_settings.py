import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from label_portal.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "label_portal.settings.base",
    "DJANGO_SECRET_KEY": "k3y-" + "x7Q9p2Lm5Rt8Vb1Nc4Zs6Wd0Hf3Jg7Ke9Ua2Yi5Oq8Xe1Mr4Tn6" * 2,
    "DJANGO_ALLOWED_HOSTS": "label.grandorlyseinebievre.fr",
    "DATABASE_URL": "postgres://label:secret@db.internal:5432/label",
    "EMAIL_HOST": "smtp.internal",
}


def _manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


S3_MEDIA_ENV = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "label-portail",
    "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "AWS_S3_REGION_NAME": "fr-par",
    "DJANGO_CACHE_URL": "db://portal_cache",
}


@pytest.mark.parametrize("media", ["local", "s3"])
def test_check_deploy_passes_with_production_variables(media):
    # The checks ask the database its version (the laureates' generated search column
    # depends on it): a reachable server, here the embedded one the tests run on.
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    if media == "s3":
        env.update(S3_MEDIA_ENV)
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_stops_with_a_clear_message_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY est obligatoire" in result.stderr


def test_production_without_mail_server_stops_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_HOST"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "EMAIL_HOST est obligatoire" in result.stderr


def test_env_helpers_read_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "oui")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.fr, b.fr,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT") == 42
    assert env_list("X_LIST") == ["a.fr", "b.fr"]
    assert env_str("X_MISSING", "défaut") == "défaut"


def test_env_int_refuses_a_word(monkeypatch):
    monkeypatch.setenv("X_INT", "beaucoup")
    with pytest.raises(ImproperlyConfigured, match="nombre entier"):
        env_int("X_INT")


def test_csp_forbids_inline_script(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
