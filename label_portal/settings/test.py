"""Tests: the embedded PostgreSQL (a test database on it), mails kept in memory."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-never-used-in-production-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
# Links in mails point to the test client's host, as a request to it would.
os.environ.setdefault("SITE_URL", "http://testserver")

from .base import *  # noqa: F403

DEBUG = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = str(BASE_DIR / "var" / "test-private")  # noqa: F405

# Serve static files from the app folders, as runserver does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run at once in tests, inside the request or the on-commit hook.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# The public pages' cache in memory (no query to count); tests/conftest.py empties it per test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
