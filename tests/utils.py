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


# The secret a browser keeps in its CSRF cookie once a page with a form gave it one. With it,
# the parts of the signed-in pages kept per browser ({% cached_fragment %}) are stored and read.
BROWSER_SECRET = "k" * 32


def sign_in(client, user):
    """Sign ``user`` in on ``client`` as a browser that already holds its CSRF cookie."""
    client.force_login(user)
    client.cookies["csrftoken"] = BROWSER_SECRET
    return client
