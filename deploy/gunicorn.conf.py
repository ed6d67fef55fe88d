"""gunicorn's settings for the portal: ``gunicorn -c deploy/gunicorn.conf.py label_portal.wsgi``.

Each value can be changed by an environment variable (GUNICORN_*), e.g. in
/etc/label-portal/env; ``deploy/label-portal-web.service`` uses this file.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# The usual rule: two per core, plus one; the pages wait on PostgreSQL a little.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# Threads keep the proxy's connections alive between requests (a sync worker closes them).
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 2)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Load the portal once, before forking: workers start fast and share its memory.
preload_app = True
# A request that takes longer is stuck: the worker is replaced. Long work (PDFs of a
# whole session, mass mailings) runs in the task worker, never in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Recycled from time to time, so that no slow leak grows for weeks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Only the proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def when_ready(server):
    """The master, app preloaded, before the workers: load what they would load on first use.

    A worker replaced after ``max_requests`` answers is a fork of the master: it starts
    with the views imported and the templates compiled (label_portal.warmup), so its first
    requests are as fast as the others.

    Then what the master holds is frozen out of the garbage collector: a worker's
    collections never walk these objects, so they neither cost it time nor copy the
    memory it shares with the master (a new worker's first full collection did both).
    """
    import gc

    from label_portal.warmup import warm

    server.log.info("Portail préchargé : %d gabarits compilés", warm())
    gc.collect()
    gc.freeze()
