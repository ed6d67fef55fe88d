"""Production settings: compressed pages (BREACH answered), cached sessions, the shared cache
and the media storage chosen by configuration."""

import gzip
import re
import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from storages.backends.s3 import S3Storage

from core.middleware import CompressTextMiddleware
from core.storage import private_storage
from label_portal import backup
from label_portal.env import cache_settings
from tests.factories import PASSWORD, UserFactory

BASE_SETTINGS = Path(__file__).resolve().parent.parent / "label_portal" / "settings" / "base.py"
GZIP = {"accept-encoding": "gzip, deflate, br"}
S3_ENV = {
    "DJANGO_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "label-portail",
    "AWS_ACCESS_KEY_ID": "AKIAEXEMPLE",
    "AWS_SECRET_ACCESS_KEY": "secret-exemple",
    "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "AWS_S3_REGION_NAME": "fr-par",
}


def _production_settings(monkeypatch, **env) -> dict:
    """The values of label_portal.settings.base under these variables (no Django set-up)."""
    for name, value in {
        "DJANGO_SECRET_KEY": "k3y-" + "x7Q9p2Lm5Rt8Vb1Nc4Zs6Wd0Hf3Jg7Ke9Ua2Yi5Oq8Xe1Mr4Tn6" * 2,
        "DJANGO_ALLOWED_HOSTS": "label.grandorlyseinebievre.fr",
        "DATABASE_URL": "postgres://label:secret@db.internal:5432/label",
        "EMAIL_HOST": "smtp.internal",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        **env,
    }.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


# --- Compression ----------------------------------------------------------------------------


def test_a_page_is_compressed_when_the_browser_asks_and_only_then(client, db):
    plain = client.get(reverse("pages:legal"))
    compressed = client.get(reverse("pages:legal"), headers=GZIP)

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    assert "Mentions légales" in plain.content.decode()


def test_a_compressed_public_page_is_still_answered_304_when_unchanged(client, db):
    compressed = client.get(reverse("pages:legal"), headers=GZIP)

    again = client.get(
        reverse("pages:legal"), headers={**GZIP, "if-none-match": compressed["ETag"]}
    )

    assert compressed["ETag"].startswith('W/"')  # gzip makes the page's tag a weak one
    assert again.status_code == 304


def test_a_signed_in_page_is_compressed_stays_private_and_its_csrf_token_never_repeats(client, db):
    client.force_login(UserFactory(coordinator=True))
    url = reverse("submissions:inbox") + "?q=csrfmiddlewaretoken"

    responses = [client.get(url, headers=GZIP) for _ in range(6)]

    pages = []
    for response in responses:
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        pages.append(gzip.decompress(response.content).decode())
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p)[1] for p in pages]
    # BREACH: the token is masked anew in every answer, and the compressed sizes carry noise.
    assert len(set(tokens)) == len(tokens)
    assert len({len(response.content) for response in responses}) > 1


def test_files_already_compressed_are_sent_as_they_are():
    middleware = CompressTextMiddleware(lambda request: None)
    request = RequestFactory().get("/", headers=GZIP)
    pdf = HttpResponse(b"%PDF-1.7" + b"0" * 5000, content_type="application/pdf")
    csv = HttpResponse("titre;commune\n" * 400, content_type="text/csv; charset=utf-8")

    assert not middleware.process_response(request, pdf).has_header("Content-Encoding")
    assert middleware.process_response(request, csv)["Content-Encoding"] == "gzip"


def test_the_session_cookie_is_not_sent_by_another_site(client, db):
    user = UserFactory()

    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})

    cookie = client.cookies["sessionid"]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


# --- Sessions -------------------------------------------------------------------------------


def test_a_signed_in_page_reads_its_session_from_the_cache(client, db):
    client.force_login(UserFactory())
    client.get(reverse("dashboard"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["user"].is_authenticated
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_an_emptied_cache_signs_nobody_out(client, db):
    user = UserFactory()
    client.force_login(user)

    cache.clear()
    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["user"] == user


# --- The shared cache -----------------------------------------------------------------------


def test_the_cache_is_the_database_table_by_default(monkeypatch):
    monkeypatch.delenv("DJANGO_CACHE_URL", raising=False)
    values = _production_settings(monkeypatch)

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert values["CACHES"]["default"]["LOCATION"] == "portal_cache"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("redis://cache.internal:6379/0", "redis.RedisCache", "redis://cache.internal:6379/0"),
        ("rediss://cache.internal:6380/1", "redis.RedisCache", "rediss://cache.internal:6380/1"),
        ("memcached://m1:11211,m2:11211", "memcached.PyMemcacheCache", ["m1:11211", "m2:11211"]),
        ("db://portal_cache", "db.DatabaseCache", "portal_cache"),
    ],
)
def test_the_cache_address_names_the_backend(url, backend, location):
    settings = cache_settings(url)

    assert settings["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert settings["LOCATION"] == location


def test_an_unknown_cache_address_stops_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE_URL doit commencer par"):
        cache_settings("localhost:6379")


# --- Media storage --------------------------------------------------------------------------


def test_files_stay_on_local_disk_by_default(monkeypatch):
    monkeypatch.delenv("DJANGO_MEDIA_STORAGE", raising=False)
    values = _production_settings(monkeypatch)

    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["STORAGES"]["private"]["BACKEND"].endswith("FileSystemStorage")


def test_s3_holds_the_media_and_the_private_files_under_signed_addresses(monkeypatch, settings):
    values = _production_settings(monkeypatch, **S3_ENV)
    settings.STORAGES = values["STORAGES"]

    private = private_storage()
    public = values["STORAGES"]["default"]

    assert isinstance(private, S3Storage)
    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["location"] == "media"
    assert (private.bucket_name, private.location) == ("label-portail", "prive")
    assert private.endpoint_url == "https://s3.fr-par.scw.cloud"
    assert private.region_name == "fr-par"
    # No ACL of its own (the bucket's, private), and never a file replaced by a namesake.
    assert private.default_acl is None
    assert private.file_overwrite is False
    # An address asked of the storage is signed and short-lived (computed here, no request).
    url = private.url("dossiers/projet-12.pdf")
    assert "prive/dossiers/projet-12.pdf" in url
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
    # The backup archives the folders on disk only: the bucket keeps its own versions.
    assert backup._file_roots() == {}


def test_on_local_disk_the_backup_archives_both_folders(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "prive")},
        },
    }

    assert isinstance(private_storage(), FileSystemStorage)
    assert backup._file_roots()["prive"] == tmp_path / "prive"
    assert set(backup._file_roots()) == {"media", "prive"}


def test_s3_without_a_bucket_stops_with_a_clear_message(monkeypatch):
    env = {**S3_ENV, "AWS_STORAGE_BUCKET_NAME": ""}
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME est obligatoire"):
        _production_settings(monkeypatch, **env)


def test_an_unknown_media_storage_stops_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_MEDIA_STORAGE doit valoir local ou s3"):
        _production_settings(monkeypatch, DJANGO_MEDIA_STORAGE="ftp")
