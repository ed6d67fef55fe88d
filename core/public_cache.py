"""The public pages' cache: one decorator, and one version to bump when the public content changes.

An anonymous visitor's page is the same for every anonymous visitor. The
``public_page`` decorator stores the whole answer to an anonymous GET, keyed
by the full URL (path and query), with the *public content version* it was
rendered from; it serves it again while that version is current (both read in
one query), and lets proxies keep it. Invalidating is one step:
``invalidate()`` replaces the version, so every stored page is stale at once.

    @login_not_required
    @public_cache.public_page(max_age=300)
    def city_contracts(request): ...

    public_cache.watch_models(CityContract, Commune)  # saves and deletions invalidate

The headers (``Cache-Control: public, max-age=0, s-maxage=300,
must-revalidate``, ``ETag``, ``Last-Modified``) let a shared proxy keep the
page ``max_age`` seconds, while a browser asks again each time with
``If-None-Match`` and gets a 304 while the page is unchanged. The answer does
not vary on ``Cookie`` (a proxy would keep one copy per visitor): a person who
signs in must not see the visitor's copy, so browsers always revalidate, and
the proxy passes a request carrying the session cookie to the portal
(``deploy/nginx.conf``). ``PublicPagesMiddleware`` takes off the ``Vary``
that the session and locale middlewares add for every answer.

A signed-in person's request passes straight through, untouched: the
``PrivatePagesMiddleware`` marks it ``private, no-store``. An answer that
carries something of one visitor (a message, a CSRF token, a cookie) or that
set its own cache policy (``Cache-Control``, ``Vary``) is neither stored nor marked public; a visitor with
a message waiting gets a fresh page.
"""

from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.cache import caches
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from core import cache_versions

CACHE_ALIAS = cache_versions.CACHE_ALIAS
# The named version (core.cache_versions) of what the public pages show.
VERSION = "public-pages"
VERSION_KEY = cache_versions.version_key(VERSION)
# The mark of a public answer, with the request headers it varies on (PublicPagesMiddleware).
PUBLIC_VARY = "public_vary"
# Request headers a stored public page does not depend on, whatever the middlewares say.
SAME_FOR_EVERY_VISITOR = {"cookie", "accept-language"}
# Part of every page's key: a new shape of _Entry never reads an entry stored by an older one.
ENTRY_FORMAT = "e2"
# How long a stored page may be served at most, even when nothing bumps the version.
SERVER_TIMEOUT = cache_versions.TIMEOUT


def _cache():
    return caches[CACHE_ALIAS]


def public_version() -> str:
    """The current public content version (a fresh one after the cache is emptied)."""
    return cache_versions.current(VERSION)


def bump_version() -> None:
    """Make every stored public page stale."""
    cache_versions.bump(VERSION)


def invalidate(**kwargs) -> None:
    """Bump the version now and again after the commit (a signal receiver as well)."""
    cache_versions.invalidate(VERSION)


# The models whose rows the public pages show (tests/test_public_pages.py checks it).
WATCHED: set[type[models.Model]] = set()


def watch_models(*watched: type[models.Model]) -> None:
    """Invalidate the public pages when a row of these models is saved or deleted."""
    WATCHED.update(watched)
    cache_versions.watch(VERSION, *watched)


def watched_tables() -> set[str]:
    """The tables of the watched models and of their many-to-many links."""
    tables = set()
    for model in WATCHED:
        tables.add(model._meta.db_table)
        tables.update(
            field.m2m_db_table()
            for field in model._meta.local_many_to_many
            if isinstance(field, models.ManyToManyField)
        )
    return tables


@dataclass(frozen=True)
class _Entry:
    """A stored page: what is needed to answer again, when it was rendered and from what."""

    # Compressed (zlib, fastest level): a 45 kB list is 8 kB to read from the cache's table.
    compressed: bytes
    headers: tuple[tuple[str, str], ...]
    rendered_at: float
    etag: str
    # The public version read before rendering: the page is stale once it changed.
    version: str

    @classmethod
    def of(cls, response: HttpResponse, version: str) -> _Entry:
        content = response.content
        return cls(
            version=version,
            compressed=zlib.compress(content, 1),
            headers=tuple(response.headers.items()),
            rendered_at=time.time(),
            etag=quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()),
        )

    def response(self, max_age: int) -> HttpResponse:
        response = HttpResponse(zlib.decompress(self.compressed), headers=dict(self.headers))
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.rendered_at)
        # Browsers revalidate every time (a person who signs in gets their own page at
        # once); a proxy keeps the page ``max_age`` seconds for the visitors.
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=max_age, must_revalidate=True
        )
        return response


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    # Reading the length loads the waiting messages without marking them as shown.
    return storage is not None and len(storage) > 0


def _is_anonymous_read(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in {"GET", "HEAD"}
        and user is not None
        and not user.is_authenticated
        and not _has_messages(request)
    )


def _varies_only_on(response: HttpResponse, headers: tuple[str, ...]) -> bool:
    """Whether the answer's own ``Vary`` names only request headers that are in the key."""
    named = {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}
    return named - {""} <= {header.lower() for header in headers}


def _is_shareable(
    request: HttpRequest, response: HttpResponse, vary_on: tuple[str, ...] = ()
) -> bool:
    """An answer the same for every anonymous visitor, which set no cache policy of its own."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response.headers
        and _varies_only_on(response, vary_on)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not _has_messages(request)
    )


def _key(request: HttpRequest, vary_on: tuple[str, ...] = ()) -> str:
    varying = "".join(f"\n{name}:{request.headers.get(name, '')}" for name in vary_on)
    url = hashlib.sha256((request.build_absolute_uri() + varying).encode()).hexdigest()
    return f"public-pages:{ENTRY_FORMAT}:{url}"


def _lookup(key: str) -> tuple[str, _Entry | None]:
    """The current version and the page stored under ``key`` if it is of that version.

    One read of the cache for both (one query with the database cache): a
    page served from the cache costs what /healthz costs.
    """
    found = _cache().get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or public_version()
    entry = found.get(key)
    return version, entry if entry is not None and entry.version == version else None


def public_page(
    max_age: int = 300, timeout: int = SERVER_TIMEOUT, vary_on: tuple[str, ...] = ()
) -> Callable:
    """Cache a public view's anonymous answers (``max_age`` seconds in browsers and proxies).

    ``vary_on`` names request headers that change the answer (``HX-Request``
    for a page that also answers a fragment): they are part of the key, and
    the view may name them in its own ``Vary``.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _is_anonymous_read(request):
                return view(request, *args, **kwargs)
            key = _key(request, vary_on)
            version, entry = _lookup(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if callable(getattr(response, "render", None)):
                    response = response.render()
                if not _is_shareable(request, response, vary_on):
                    return response
                entry = _Entry.of(response, version)
                _cache().set(key, entry, timeout)
            answer = get_conditional_response(
                request,
                etag=entry.etag,
                last_modified=int(entry.rendered_at),
                response=entry.response(max_age),
            )
            # The same for every visitor: only ``vary_on`` changes it (PublicPagesMiddleware).
            setattr(answer, PUBLIC_VARY, vary_on)
            return answer

        # The URLconf test finds the public pages that are cached by this mark.
        setattr(wrapped, "public_page", True)  # noqa: B010 (an attribute functools does not know)
        return wrapped

    return decorator


class PublicPagesMiddleware:
    """Take ``Cookie`` and ``Accept-Language`` off a public page's ``Vary``.

    The session and locale middlewares add them to every answer: a proxy would
    then keep one copy per visitor's cookies. A stored public page is the same
    for every visitor (the portal speaks French only). What else the answer
    varies on stays: the view's ``vary_on`` (``HX-Request``), and
    ``Accept-Encoding`` if a compression middleware sits inside this one. An
    answer that sets a cookie after all is one visitor's: it becomes private.
    Placed before the session middleware, so it sees the answer after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        vary_on = getattr(response, PUBLIC_VARY, None)
        if vary_on is None:
            return response
        if response.cookies:
            response.headers["Cache-Control"] = "private, no-store"
            for header in ("ETag", "Last-Modified"):
                del response.headers[header]
            return response
        kept = [
            name.strip()
            for name in response.headers.get("Vary", "").split(",")
            if name.strip() and name.strip().lower() not in SAME_FOR_EVERY_VISITOR
        ]
        if kept:
            response.headers["Vary"] = ", ".join(dict.fromkeys(kept))
        else:
            del response.headers["Vary"]
        return response
