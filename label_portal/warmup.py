"""What a new gunicorn worker would otherwise load on its first requests, loaded once before it forks.

gunicorn replaces each worker after ``max_requests`` answers. With the app
preloaded, the new worker is a fork of the master: whatever the master holds,
it holds too. Without this, its first requests imported the URLconf's views
and compiled every template they used, and the bench saw a p99 of 400–500 ms
on pages whose p50 is 10 ms. ``deploy/gunicorn.conf.py`` calls ``warm`` when the
master is ready, before it starts the workers.
"""

import logging
from pathlib import Path

from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}


def _template_names(directory: Path) -> list[str]:
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def warm() -> int:
    """Import every view and compile every template (kept by the cached loader); the number compiled."""
    get_resolver().reverse_dict  # noqa: B018 - populates the URLconf: imports every view
    compiled = 0
    for engine in engines.all():
        # A name in two folders is one template: the first folder's, as at render time.
        names = {n for d in engine.template_dirs for n in _template_names(Path(d))}
        for name in sorted(names):
            try:
                engine.get_template(name)
            except TemplateSyntaxError as error:
                # A third-party template for a library the portal does not load.
                logger.debug("Gabarit %s non préchargé : %s", name, error)
                continue
            compiled += 1
    # The workers open their own database connections: none is shared through the fork.
    connections.close_all()
    return compiled
