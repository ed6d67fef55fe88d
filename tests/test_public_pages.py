"""Every public page is cached (core.public_cache), or says here why it is not.

The URLconf is walked like the permission matrix does: a view marked
``login_not_required`` that is not wrapped by ``public_cache.public_page``
fails ``test_every_public_page_is_cached_or_exempt`` until it is cached or
has its reason below.
"""

from django.urls import URLPattern, URLResolver, get_resolver

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
