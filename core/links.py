"""Absolute addresses, for links that leave the page: mails, calendar invitations, PDFs.

One source: the configured site address (``SITE_URL``). ``make run`` sets it to
the host and port it serves; production sets it to the public address. A
request's own Host header is never used, so a link reads the same whether it
is built in a request, a background task or a management command.
"""

from django.conf import settings


def absolute_url(location) -> str:
    """Return the full address of a path, or of an object with ``get_absolute_url``."""
    path = location if isinstance(location, str) else location.get_absolute_url()
    return settings.SITE_URL.rstrip("/") + path
