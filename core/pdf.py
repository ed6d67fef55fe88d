"""Render PDFs with WeasyPrint, reading nothing but the portal's static files.

Templates name their resources ``static:css/pdf.css``; data URIs pass too.
Any other address (``file://``, ``http://``…) is refused, so text typed by a
person can never make the renderer read a local file or call out.
"""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data", "static"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("static:"):
            relative = url.removeprefix("static:").lstrip("/")
            if ".." in relative.split("/"):
                raise ValueError(f"Refused path: {url}")
            path = finders.find(relative)
            if path is None:
                raise ValueError(f"Unknown static file: {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Refused URL: {url}")


def render_pdf(template: str, context: dict, *, extra_css: str = "") -> bytes:
    """Render a template as PDF; ``extra_css`` is applied over the template's own styles."""
    # In French even from the background worker or a management command.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    fetcher = StaticOnlyFetcher()
    stylesheets = [CSS(string=extra_css, url_fetcher=fetcher)] if extra_css else None
    return HTML(string=html, base_url="static:/", url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets
    )
