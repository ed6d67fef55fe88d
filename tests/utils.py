import html
import sys


def page(response) -> str:
    """Return the page as a person reads it: HTML entities decoded."""
    return html.unescape(response.content.decode())


# The task worker as the tests start it: polling often, without the autoreloader or the
# start-up delay (tests/test_worker.py, tests/test_resilience.py).
WORKER_COMMAND = [
    sys.executable,
    "manage.py",
    "run_worker",
    "--no-reload",
    "--no-startup-delay",
    "--interval=0.2",
]
