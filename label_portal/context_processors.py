import functools

from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

# The links and files of every page's frame (templates/base.html): the same for every
# request a process answers, so resolved once per address prefix instead of some twenty
# reverse() and static() calls per page. As {{ frame.<key> }}.
FRAME_LINKS = {
    "home": "home",
    "dashboard": "dashboard",
    "notifications": "notifications:list",
    "logout": "accounts:logout",
    "login": "accounts:login",
    "signup": "accounts:signup",
    "contracts": "territory:contracts",
    "laureates": "laureates:list",
    "laureates_feed": "laureates:feed",
    "network": "network:index",
    "legal": "pages:legal",
    "privacy": "pages:privacy",
    "sitemap": "pages:sitemap",
    "accessibility": "pages:accessibility",
}
FRAME_FILES = {
    "favicon": "img/favicon.svg",
    "logo": "img/logo-label.svg",
    "font": "vendor/fonts/source-sans-3-latin-400-normal.woff2",
    "bootstrap_css": "vendor/bootstrap/bootstrap.min.css",
    "portal_css": "css/portal.css",
    "portal_js": "js/portal.js",
}
# Settings that change what the frame's addresses are (the tests change some of them).
FRAME_SETTINGS = {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES"}


@functools.cache
def _frame(script_prefix: str) -> dict[str, str]:
    """The frame's addresses under ``script_prefix`` (reverse() reads the current one)."""
    return {
        **{key: reverse(name) for key, name in FRAME_LINKS.items()},
        **{key: static(path) for key, path in FRAME_FILES.items()},
    }


def _forget_frame(setting, **kwargs) -> None:
    if setting in FRAME_SETTINGS:
        _frame.cache_clear()


setting_changed.connect(_forget_frame, dispatch_uid="label_portal:frame")


def portal(request):
    """Expose the portal's name, the frame's addresses and the current page's URL name."""
    match = getattr(request, "resolver_match", None)
    return {
        "portal_name": "Label Actions Innovantes",
        "publisher_name": "Établissement public territorial Grand-Orly Seine Bièvre",
        "current_view_name": match.view_name if match else "",
        "frame": _frame(get_script_prefix()),
    }
