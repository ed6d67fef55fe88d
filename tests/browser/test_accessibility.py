"""axe-core finds nothing, and nothing scrolls sideways at 320 px, on every page.

One browser context walks all the anonymous pages; one context per role walks
that role's signed-in pages.
"""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import Association, CityContract, Commune
from tests.browser.conftest import (
    NARROW_WIDTH,
    assert_no_horizontal_scroll,
    axe_check,
    field,
    login,
    viewport_width,
)

pytestmark = pytest.mark.browser

ANONYMOUS_PAGES = [
    "/",
    "/contrats-de-ville/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/compte/connexion/",
    "/compte/inscription/",
    "/compte/mot-de-passe/oublie/",
    "/compte/confirmer/nouveau-lien/",
]


def check_page(page) -> None:
    """axe-core at desktop width, then again at 320 px with the sideways-scroll check.

    Some failures exist only once the layout reflows (a table that starts
    scrolling inside its wrapper must then be reachable by keyboard).
    """
    __tracebackhide__ = True
    axe_check(page)
    with viewport_width(page, NARROW_WIDTH):
        assert_no_horizontal_scroll(page)
        axe_check(page)


def visit(page, url: str, expected_status: int = 200) -> None:
    __tracebackhide__ = True
    response = page.goto(url)
    assert response is not None
    assert response.status == expected_status, f"{url} answered {response.status}"
    check_page(page)


def test_anonymous_pages(page, live_server, transactional_db):
    seed_people()  # the chef de projet lookup then shows a full contact card
    for path in ANONYMOUS_PAGES:
        visit(page, f"{live_server.url}{path}")

    # The chef de projet lookup with its answer on the home page.
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    visit(page, f"{live_server.url}/?commune={ivry.pk}")
    expect(page.get_by_role("heading", name="Ivry-sur-Seine : contrat de ville")).to_be_visible()
    expect(page.get_by_role("link", name="chef.seine-amont@demo.test")).to_be_visible()

    visit(page, f"{live_server.url}/nulle-part/", expected_status=404)

    # The sign-in form sent back with its errors.
    page.goto(f"{live_server.url}/compte/connexion/")
    field(page, "Adresse e-mail").fill("personne@exemple.test")
    field(page, "Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect")
    check_page(page)


def member_pages() -> list[str]:
    association = Association.objects.get(name__startswith="Association Alpha")
    return [
        "/espace/",
        f"/espace/associations/{association.pk}/",
        f"/espace/associations/{association.pk}/modifier/",
        "/compte/profil/",
        "/compte/mot-de-passe/",
    ]


def coordinator_pages() -> list[str]:
    contract = CityContract.objects.order_by("code").first()
    return [
        "/espace/",
        "/espace/coordination/contrats-de-ville/",
        f"/espace/coordination/contrats-de-ville/{contract.slug}/contact/",
    ]


ROLES = {
    "membre": ("asso.alpha@demo.test", member_pages),
    "chef-de-projet": ("chef.seine-amont@demo.test", lambda: ["/espace/"]),
    "jure": ("jury1@demo.test", lambda: ["/espace/"]),
    "coordination": ("coordination@demo.test", coordinator_pages),
}


@pytest.mark.parametrize("role", ROLES)
def test_signed_in_pages(page, live_server, transactional_db, role):
    seed_people()
    email, pages = ROLES[role]
    login(page, live_server, email, DEMO_PASSWORD)  # through the sign-in form
    assert page.url == f"{live_server.url}/espace/", "the sign-in did not lead to /espace/"

    for path in pages():
        visit(page, f"{live_server.url}{path}")
    if role != "coordination":
        # The administration explains its refusal instead of looping to the sign-in page.
        visit(page, f"{live_server.url}/admin/", expected_status=403)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Administration réservée à la coordination"
        )


def test_axe_check_fails_on_a_violation_each_time_and_rechecks_a_new_kind_of_page(page):
    """The check remembers only clean pages; one showing a new kind of feedback is read again."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body>'
        "<main><h1>Essai</h1><p>Propre.</p></main></body></html>"
    )
    axe_check(page)
    axe_check(page)  # the same clean page: remembered, nothing to say

    # The page now shows an error message (holding an image without text): read again.
    page.evaluate(
        "document.querySelector('p').outerHTML ="
        ' \'<div role="alert"><img src="photo.png"> Erreur</div>\''
    )
    for _attempt in range(2):
        with pytest.raises(pytest.fail.Exception, match="image-alt"):
            axe_check(page)


def test_a_page_another_worker_found_clean_is_not_checked_again(page, tmp_path, monkeypatch):
    """With several workers, a clean page state is shared through the run's folder.

    Each worker serves the portal on a port of its own: the same page is the same state.
    """
    from tests.browser import conftest

    monkeypatch.setattr(conftest, "_shared_clean_states", tmp_path)
    monkeypatch.setattr(conftest, "_clean_states", set())
    page.route(
        "**/essai/",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body>'
            "<main><h1>Essai</h1><p>Propre.</p></main></body></html>",
        ),
    )
    page.goto("http://127.0.0.1:8101/essai/")
    axe_check(page)
    [remembered] = list(tmp_path.iterdir())

    # The other worker, which has checked nothing itself, meets the same page on its own
    # server: it is not read again (an image without text, added since, goes unnoticed)...
    monkeypatch.setattr(conftest, "_clean_states", set())
    page.goto("http://127.0.0.1:8102/essai/")
    page.evaluate("""document.querySelector('p').innerHTML = '<img src="data:,"> Photo'""")
    axe_check(page)

    # ... as long as the run's folder holds it.
    monkeypatch.setattr(conftest, "_clean_states", set())
    remembered.unlink()
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)
