"""No cookie but the session's and the CSRF token's; no request to another site from any page.

/donnees-personnelles/ promises both: two strictly necessary cookies, no
tracker, nothing loaded from elsewhere (GDPR, CSP). The cookie rule is checked
on every answer of the permission matrix's crawl (every URL name, every role,
``tests/test_permission_matrix.py`` calls ``assert_no_other_cookie``), so a
page that starts setting a third cookie fails there; this module checks the
checker, the messages' storage and the templates' and static files' addresses.
The browser test ``tests/browser/test_privacy.py`` records the requests pages make.
"""

import inspect
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def allowed_cookies() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def assert_no_other_cookie(response) -> None:
    """Fail when the answer sets a cookie other than the session's or the CSRF token's."""
    others = set(response.cookies) - allowed_cookies()
    assert others == set(), f"{response.wsgi_request.path} pose le cookie {sorted(others)}"


class _Request:
    path = "/exemple/"


def test_the_checker_refuses_a_third_cookie():
    response = HttpResponse()
    response.set_cookie(settings.SESSION_COOKIE_NAME, "x")
    response.set_cookie(settings.CSRF_COOKIE_NAME, "y")
    response.wsgi_request = _Request()  # type: ignore[attr-defined]
    assert_no_other_cookie(response)

    response.set_cookie("messages", "z")
    with pytest.raises(AssertionError, match="pose le cookie \\['messages'\\]"):
        assert_no_other_cookie(response)


def test_the_matrix_crawl_checks_the_cookies_of_every_answer():
    from tests import test_permission_matrix  # it imports this module's checker

    for test in (
        test_permission_matrix.test_portal_answers_match_the_matrix,
        test_permission_matrix.test_admin_answers_match_the_matrix,
    ):
        assert "assert_no_other_cookie(response)" in inspect.getsource(test)


def test_messages_wait_in_the_session_not_in_a_cookie(client, db):
    """A message shown on the next page (here the profile's « saved ») sets no cookie of its own."""
    user = UserFactory()
    client.force_login(user)

    saved = client.post(
        reverse("accounts:profile"), {"first_name": "Awa", "last_name": "Diallo", "phone": ""}
    )
    assert saved.status_code == 302
    assert_no_other_cookie(saved)
    shown = client.get(saved.url)

    assert "messages" not in client.cookies
    assert "alert-success" in shown.text
    assert_no_other_cookie(shown)


# --- No third-party request ------------------------------------------------------------------

# The attributes through which a page loads something by itself (a link <a> is followed only
# when the person clicks it: it may lead elsewhere).
LOADING = {
    "script": {"src"},
    "link": {"href"},
    "img": {"src", "srcset"},
    "iframe": {"src"},
    "frame": {"src"},
    "source": {"src", "srcset"},
    "video": {"src", "poster"},
    "audio": {"src"},
    "track": {"src"},
    "embed": {"src"},
    "object": {"data"},
    "image": {"href", "xlink:href"},
    "use": {"href", "xlink:href"},
    "form": {"action"},
}
ELSEWHERE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)


class _LoadedAddresses(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in LOADING.get(tag, ()) and value and ELSEWHERE.match(value):
                self.found.append(f"<{tag} {name}={value}>")


def third_party_loads(text: str) -> list[str]:
    """The addresses of another site a template, style sheet or SVG would load by itself."""
    parser = _LoadedAddresses()
    parser.feed(text)
    return parser.found + [f"url({match})" for match in CSS_URL.findall(text)]


def test_the_scan_finds_what_a_page_would_load_from_elsewhere():
    text = """
      <a href="https://www.cnil.fr/">CNIL</a>
      <script src="https://cdn.example.net/htmx.js"></script>
      <link rel="stylesheet" href="//fonts.example.com/css">
      <img src="{% static 'img/logo.svg' %}" alt="">
      <style>body { background: url("https://tracker.example/p.gif") }</style>
    """
    assert third_party_loads(text) == [
        "<script src=https://cdn.example.net/htmx.js>",
        "<link href=//fonts.example.com/css>",
        "url(https://tracker.example/p.gif)",
    ]


def _served_files():
    for folder, patterns in (
        (ROOT / "templates", ("*.html", "*.svg", "*.txt")),
        (ROOT / "static", ("*.html", "*.svg", "*.css")),
    ):
        for pattern in patterns:
            yield from sorted(folder.rglob(pattern))


def test_no_template_or_static_file_loads_anything_from_another_site():
    found = {
        str(path.relative_to(ROOT)): loads
        for path in _served_files()
        if (loads := third_party_loads(path.read_text(errors="replace")))
    }
    assert found == {}
