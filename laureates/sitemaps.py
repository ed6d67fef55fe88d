"""The sitemap of the public pages (/sitemap.xml), on the configured site address.

Django's sitemap takes its domain from the Sites framework or the request's
Host header; the portal has one address, ``SITE_URL`` (``core.links``), so
every section builds its locations on it, as mails and feeds do.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from laureates import selectors


class PortalSitemap(Sitemap):
    """A sitemap section whose locations start with ``SITE_URL``."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        address = urlsplit(settings.SITE_URL)
        return address.netloc + address.path.rstrip("/")


class PublicPagesSitemap(PortalSitemap):
    """The pages of the public face that do not depend on data."""

    changefreq = "monthly"
    url_names = [
        "home",
        "territory:contracts",
        "pages:accessibility",
        "pages:legal",
        "pages:privacy",
        "pages:sitemap",
        "laureates:list",
        "laureates:open_data",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


class EditionSitemap(PortalSitemap):
    """One page per edition whose showcase is published."""

    changefreq = "yearly"

    def items(self):
        return selectors.public_showcases().order_by("-edition__year")

    def lastmod(self, showcase):
        return showcase.published_at


class LaureateSitemap(PortalSitemap):
    """One page per public laureate, dated by its last change."""

    changefreq = "yearly"

    def items(self):
        return selectors.public_laureates().order_by("-year", "title", "pk")

    def lastmod(self, laureate):
        return laureate.updated_at


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "editions": EditionSitemap,
    "laureates": LaureateSitemap,
}
