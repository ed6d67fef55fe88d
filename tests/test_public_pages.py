"""Every public page is cached (core.public_cache), or says here why it is not.

The URLconf is walked like the permission matrix does: a view marked
``login_not_required`` that is not wrapped by ``public_cache.public_page``
fails ``test_every_public_page_is_cached_or_exempt`` until it is cached or
has its reason below.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Commune
from core import public_cache
from tests.laureates.factories import LaureateFactory
from tests.network.factories import (
    MeetingFactory,
    NetworkMemberFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
)

# Public views that answer something else than one page for every visitor.
NOT_CACHED = {
    # The sign-in steps: forms carrying a CSRF token, and the page after one.
    "accounts:login": "a form with a CSRF token",
    "accounts:signup": "a form with a CSRF token",
    "accounts:signup_done": "seen once by one person, after the sign-up form",
    "accounts:confirm_email": "one person's link: it acts on their account",
    "accounts:resend_confirmation": "a form with a CSRF token",
    "accounts:password_reset": "a form with a CSRF token",
    "accounts:password_reset_done": "seen once by one person, after the form",
    "accounts:password_reset_confirm": "one person's link, a form with a CSRF token",
    "accounts:password_reset_complete": "seen once by one person, after the form",
    "accounts:invitation_accept": "one person's invitation link",
    "admin:login": "Django's admin",
    # Files with their own Cache-Control, and lookups that must count each request.
    "laureates:photo": "a file served with its own Cache-Control (an hour)",
    "laureates:verify": "rate-limited per address: every lookup must count",
    "laureates:verify_form": "never_cache: the code typed stays out of every cache",
    "network:register": "POST only",
    # A registration's pages: one person's (a token in the address), never shared.
    "network:registration": "one person's registration",
    "network:registration_confirm": "one person's registration",
    "network:registration_cancel": "one person's registration",
    "network:registration_ics": "one person's registration",
    "network:registration_qr": "one person's registration",
    "network:attendance_certificate": "one person's certificate",
    # The load balancer must reach the portal and its database each time.
    "healthz": "never cached: it checks the database",
}


def public_views(patterns=None, namespace=None):
    """Yield (URL name, view) for every view a visitor may open without signing in."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from public_views(pattern.url_patterns, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and getattr(pattern.callback, "login_required", True) is False
        ):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def test_every_public_page_is_cached_or_exempt():
    uncached = [
        name
        for name, view in public_views()
        if not getattr(view, "public_page", False) and name not in NOT_CACHED
    ]

    assert uncached == [], "Pages publiques hors de core.public_cache : " + ", ".join(uncached)


def test_the_exemptions_name_existing_public_views_that_are_not_cached():
    views = dict(public_views())

    assert sorted(set(NOT_CACHED) - set(views)) == []
    assert sorted(name for name in NOT_CACHED if getattr(views[name], "public_page", False)) == []


def test_the_pages_the_bench_measures_are_cached():
    views = dict(public_views())

    for name in [
        "home",
        "territory:contracts",
        "laureates:list",
        "laureates:year",
        "laureates:detail",
        "network:index",
        "network:archive",
        "network:meeting",
        "pages:legal",
    ]:
        assert getattr(views[name], "public_page", False), name


# --- What a cached page shows invalidates it -----------------------------------------------

# Tables a public page reads that need not invalidate it, and why.
NOT_WATCHED = {
    "portal_cache": "the cache itself",
    "django_site": "the site's settings",
    # Watching the projects would empty the cache at every save of a draft.
    "submissions_project": (
        "the year page counts its edition's deposited projects: fixed before the showcase "
        "is published (the deposits closed months before the results)"
    ),
}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"')


@pytest.fixture
def public_world(db):
    laureate = LaureateFactory(public=True, title="Jardin partagé des Lozaits")
    member = NetworkMemberFactory(name="Maison des associations")
    meeting = MeetingFactory()
    ProgrammeItemFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting)
    orly = Commune.objects.get(name="Orly")
    return [
        reverse("home"),
        reverse("home") + f"?commune={orly.pk}",
        reverse("territory:contracts"),
        reverse("pages:accessibility"),
        reverse("pages:legal"),
        reverse("pages:privacy"),
        reverse("pages:sitemap"),
        reverse("laureates:list"),
        reverse("laureates:list") + f"?q=jardin&commune={orly.insee}&annee={laureate.year}",
        reverse("laureates:year", args=[laureate.year]),
        laureate.get_absolute_url(),
        reverse("laureates:export_csv"),
        reverse("laureates:export_json"),
        reverse("laureates:open_data"),
        reverse("laureates:feed"),
        reverse("network:index"),
        reverse("network:index") + "?q=maison",
        reverse("network:member", args=[member.slug]),
        reverse("network:archive"),
        meeting.get_absolute_url(),
        reverse("sitemap_xml"),
        reverse("robots_txt"),
    ]


def test_every_table_a_cached_page_reads_is_watched(client, public_world):
    watched = public_cache.watched_tables() | set(NOT_WATCHED)
    unwatched = {}
    for address in public_world:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200, address
        read = {table for query in queries for table in TABLE.findall(query["sql"])}
        if read - watched:
            unwatched[address] = sorted(read - watched)

    assert unwatched == {}, "Tables lues mais non surveillées (public_cache.watch_models)"


def test_the_table_check_sees_the_tables_of_a_page(client, public_world):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("territory:contracts"))

    read = {table for query in queries for table in TABLE.findall(query["sql"])}
    assert {"accounts_citycontract", "accounts_commune"} <= read
