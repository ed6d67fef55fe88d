"""The public pages' cache: one decorator, and one version to bump when the public content changes.

An anonymous visitor's page is the same for every anonymous visitor. The
``public_page`` decorator stores the whole answer to an anonymous GET, keyed
by the full URL (path and query) and the *public content version*, serves it
again while both hold, and lets browsers and proxies keep it
(``Cache-Control: public, max-age``, ``ETag``, ``Last-Modified``; a
conditional GET gets its 304). Invalidating is one step: ``invalidate()``
replaces the version, so every stored page is stale at once.

    @login_not_required
    @public_cache.public_page(max_age=300)
    def city_contracts(request): ...

    public_cache.watch_models(CityContract, Commune)  # saves and deletions invalidate

A signed-in person's request passes straight through, untouched: the
``PrivatePagesMiddleware`` marks it ``private, no-store``. An answer that
carries something of one visitor (a message, a CSRF token, a cookie) or that
set its own cache policy (``Cache-Control``, ``Vary``) is neither stored nor marked public; a visitor with
a message waiting gets a fresh page.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.core.cache import caches
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from core import cache_versions

CACHE_ALIAS = cache_versions.CACHE_ALIAS
# The named version (core.cache_versions) of what the public pages show.
VERSION = "public-pages"
VERSION_KEY = f"{VERSION}:version"
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


def watch_models(*watched: type[models.Model]) -> None:
    """Invalidate the public pages when a row of these models is saved or deleted."""
    cache_versions.watch(VERSION, *watched)


@dataclass(frozen=True)
class _Entry:
    """A stored page: what is needed to answer again, and when it was rendered."""

    content: bytes
    headers: tuple[tuple[str, str], ...]
    rendered_at: float
    etag: str

    @classmethod
    def of(cls, response: HttpResponse) -> _Entry:
        content = response.content
        return cls(
            content=content,
            headers=tuple(response.headers.items()),
            rendered_at=time.time(),
            etag=quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()),
        )

    def response(self, max_age: int) -> HttpResponse:
        response = HttpResponse(self.content, headers=dict(self.headers))
        response.headers["ETag"] = self.etag
        response.headers["Last-Modified"] = http_date(self.rendered_at)
        patch_cache_control(response, public=True, max_age=max_age)
        # A shared cache must not give this anonymous page to a signed-in person.
        patch_vary_headers(response, ["Cookie"])
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


def _key(request: HttpRequest, version: str, vary_on: tuple[str, ...] = ()) -> str:
    varying = "".join(f"\n{name}:{request.headers.get(name, '')}" for name in vary_on)
    url = hashlib.sha256((request.build_absolute_uri() + varying).encode()).hexdigest()
    return f"public-pages:{version}:{url}"


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
            cache = _cache()
            key = _key(request, public_version(), vary_on)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if callable(getattr(response, "render", None)):
                    response = response.render()
                if not _is_shareable(request, response, vary_on):
                    return response
                entry = _Entry.of(response)
                cache.set(key, entry, timeout)
            return get_conditional_response(
                request,
                etag=entry.etag,
                last_modified=int(entry.rendered_at),
                response=entry.response(max_age),
            )

        return wrapped

    return decorator
