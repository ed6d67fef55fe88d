"""Playwright fixtures for the browser tests (Debian's Chromium, driven headless).

One Chromium per test session; every test gets its own context, so cookies and
storage never leak from one test to the next.
"""

import contextlib
import hashlib
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
NARROW_WIDTH = 320

_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    # No bypass_csp: the portal's Content-Security-Policy (scripts from 'self'
    # only) stays enforced, as in production. axe-playwright-python hands
    # axe-core to page.evaluate(), which goes through the DevTools protocol
    # and is not subject to the page's CSP, so axe runs without lifting it.
    ctx = browser.new_context(locale="fr-FR", viewport=VIEWPORT)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A fresh tab; fails the test if a script error or a CSP refusal shows up."""
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"{tab.url}: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"{tab.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    if problems:
        pytest.fail("Erreurs dans le navigateur :\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def new_person_page(browser):
    """Open a tab in a context of its own, for a second or third person in one test.

    Same settings and the same script-error and CSP watch as ``page``.
    """
    contexts = []
    problems = []

    def open_page():
        ctx = browser.new_context(locale="fr-FR", viewport=VIEWPORT)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        tab = ctx.new_page()
        tab.on("pageerror", lambda error: problems.append(f"{tab.url}: {error}"))
        tab.on(
            "console",
            lambda message: (
                problems.append(f"{tab.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return tab

    yield open_page
    for ctx in contexts:
        ctx.close()
    if problems:
        pytest.fail("Erreurs dans le navigateur :\n" + "\n".join(problems), pytrace=False)


def field(page, label: str):
    """The form control whose label is exactly ``label`` (the " *" of required fields aside)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))


# The browser tests check pages with axe-core hundreds of times, and one check costs a quarter
# of a second of CPU or more (axe-core, 570 kB of script, is injected only into a document that
# does not hold it yet). A page is checked once per run for each size and each kind of
# feedback it shows: the same address (its server, ids, query and anchor aside: each worker's
# test server has a port of its own), at the same width, with
# the same kinds of messages (an error alert, a success status, invalid fields, a dialog). A
# journey that adds a row, changes a figure or moves a project from step to step on the same
# page is not checked again; the page showing a form's errors, or its success message, is. Only
# clean pages are remembered: a faulty page fails every time. With pytest-xdist the workers
# share what they found clean (one empty file per state, in the run's temporary folder): a page
# one worker checked is not checked again by the other.
_clean_states: set[str] = set()
_shared_clean_states: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def _clean_states_shared_by_the_workers(tmp_path_factory, worker_id):
    """The run's folder of clean page states, when the tests run on several workers."""
    global _shared_clean_states
    if worker_id != "master":
        # Each worker's temporary folder is a subfolder of the run's (popen-gw0, popen-gw1).
        folder = tmp_path_factory.getbasetemp().parent / "axe-clean-states"
        folder.mkdir(exist_ok=True)
        _shared_clean_states = folder
    yield
    _shared_clean_states = None


def _state_file(state: str) -> Path | None:
    if _shared_clean_states is None:
        return None
    return _shared_clean_states / hashlib.sha256(state.encode()).hexdigest()


def _is_known_clean(state: str) -> bool:
    if state in _clean_states:
        return True
    shared = _state_file(state)
    if shared is not None and shared.exists():
        _clean_states.add(state)
        return True
    return False


def _remember_clean(state: str) -> None:
    _clean_states.add(state)
    shared = _state_file(state)
    if shared is not None:
        shared.touch()


_AXE_OPTIONS = {"resultTypes": ["violations"]}
_PAGE_KIND_JS = """() => {
    const feedback = ['[role=alert]', '[role=status]', '[aria-invalid=true]',
        'dialog[open], [role=dialog], [role=alertdialog]'];
    return [location.pathname.replace(/\\d+/g, '0')].concat(
        feedback.filter((selector) => document.querySelector(selector) !== null)).join(' ');
}"""


def _page_state(page) -> str:
    size = page.viewport_size
    return f"{size['width']}x{size['height']} {page.evaluate(_PAGE_KIND_JS)}"


def axe_check(page) -> None:
    """Run axe-core on the page as it is now; fail on any violation at all."""
    state = _page_state(page)
    if _is_known_clean(state):
        return
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    violations = page.evaluate("options => axe.run(document, options)", _AXE_OPTIONS)["violations"]
    if not violations:
        _remember_clean(state)
        return
    width = page.viewport_size["width"]
    lines = [f"{len(violations)} violation(s) axe-core sur {page.url} (à {width} px) :"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}) : {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " > ".join(str(part) for part in node["target"])
            lines.append(f"    • {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"        {line}" for line in summary.splitlines())
    pytest.fail("\n".join(lines), pytrace=False)


@contextlib.contextmanager
def viewport_width(page, width: int):
    """Narrow (or widen) the viewport for the block, then put it back."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        yield
    finally:
        page.set_viewport_size(original)


def assert_no_horizontal_scroll(page) -> None:
    """The page must not scroll sideways at the current width (WCAG 1.4.10)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width <= width:
        return
    wide = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
            .slice(0, 8)
            .map((el) => el.tagName.toLowerCase()
                + (el.id ? '#' + el.id : '')
                + (typeof el.className === 'string' && el.className.trim()
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)')""",
        width,
    )
    pytest.fail(
        f"{page.url} déborde à {width} px : scrollWidth = {scroll_width}. "
        f"Éléments qui dépassent : {', '.join(wide)}",
        pytrace=False,
    )


def login(page, live_server, email: str, password: str | None = None) -> None:
    """Sign ``email`` in; the page ends on the signed-in space (/espace/), as after the form.

    Without a password, the session is opened as Django's test client opens it
    (``force_login``) and handed to the page's browser context as its cookie: two requests
    fewer than the form for each person of each test. With a password, through the real
    sign-in form, as a person would (the form is also driven with the keyboard alone in
    tests/browser/test_signup_flow.py and in the keyboard journey of test_submission_path).
    """
    if password is not None:
        page.goto(f"{live_server.url}/compte/connexion/")
        field(page, "Adresse e-mail").fill(email)
        field(page, "Mot de passe").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        return

    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email), backend="accounts.backends.EmailBackend")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/espace/")


@pytest.fixture(autouse=True)
def _links_point_to_the_live_server(request, settings):
    """Mails link to the address the portal is served at (SITE_URL), here the test server."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


def check_page(page) -> None:
    """axe-core at the desktop width, then at 320 px with no sideways scrolling."""
    __tracebackhide__ = True
    axe_check(page)
    with viewport_width(page, NARROW_WIDTH):
        assert_no_horizontal_scroll(page)
        axe_check(page)
