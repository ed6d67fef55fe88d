"""Named versions of cached content: what a page or a set of figures shows, stale in one step.

Whatever is cached from the database is keyed on the *version* of what it
shows: ``"public-pages"`` for the anonymous pages (``core.public_cache``),
``"dashboard"`` for the coordination's figures. Bumping a version makes
everything stored under the old one stale at once, without knowing its keys;
a model watched by a version bumps it when one of its rows is saved or
deleted (its many-to-many links too).

    cache_versions.watch("dashboard", Project, Laureate)
    figures = cache_versions.cached("dashboard", f"scope:{pk}", lambda: compute(pk))

The versions live in the shared cache (the database by default): every app
server sees the same one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

CACHE_ALIAS = "default"
# How long a stored value may be used at most, even when nothing bumps its version.
TIMEOUT = 60 * 60


def _cache():
    return caches[CACHE_ALIAS]


def _new_version() -> str:
    return uuid.uuid4().hex


def version_key(name: str) -> str:
    return f"{name}:version"


def current(name: str) -> str:
    """The current version of ``name`` (a fresh one after the cache is emptied)."""
    return _cache().get_or_set(version_key(name), _new_version, timeout=None)


def bump(name: str) -> None:
    """Make everything stored under ``name``'s version stale."""
    _cache().set(version_key(name), _new_version(), timeout=None)


def invalidate(name: str) -> None:
    """Bump ``name`` now and again after the commit.

    Now: this transaction's own later reads show the change. After the
    commit: a value another request computed meanwhile, from the data before
    the commit, is not used afterwards.
    """
    bump(name)
    transaction.on_commit(lambda: bump(name), robust=True)


# Fields no cached content shows: a save that writes only these changes nothing cached (every
# sign-in saves the person's last_login, and the dashboard and the jury results watch users).
UNSHOWN_FIELDS = frozenset({"last_login"})


def invalidator(name: str) -> Callable[..., None]:
    """A signal receiver that invalidates ``name``."""

    def receiver(update_fields=None, **kwargs) -> None:
        if update_fields and set(update_fields) <= UNSHOWN_FIELDS:
            return
        invalidate(name)

    receiver.__name__ = f"invalidate_{name.replace('-', '_')}"
    return receiver


# Every version some model watches (``watch``): what ``invalidate_all`` makes stale.
WATCHED_NAMES: set[str] = set()


def invalidate_all() -> None:
    """Invalidate every watched version: for writes that send no signal (``update()``)
    and must show at once everywhere, like an erasure."""
    for name in sorted(WATCHED_NAMES):
        invalidate(name)


def watch(name: str, *watched: type[models.Model]) -> None:
    """Invalidate ``name`` when a row of these models is saved or deleted."""
    WATCHED_NAMES.add(name)
    receiver = invalidator(name)
    for model in watched:
        label = model._meta.label_lower
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{name}:{label}:save")
        post_delete.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"{name}:{label}:delete"
        )
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{name}:{label}.{field.name}:m2m",
            )


def key(name: str, *parts: object) -> str:
    """The cache key of ``parts`` under ``name`` (the version is stored with the value)."""
    return ":".join([name, *map(str, parts)])


def cached[T](name: str, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """The value stored for ``parts`` under ``name``'s current version, computed when missing.

    One cache read: the version and the entry come together, and an entry stored
    under an older version is computed again.
    """
    cache = _cache()
    entry_key, current_key = key(name, *parts), version_key(name)
    found = cache.get_many([current_key, entry_key])
    version = found.get(current_key)
    if version is None:
        version = current(name)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(entry_key, (version, value), TIMEOUT)
    return value
