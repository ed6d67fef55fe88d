"""The network's public pages in /sitemap.xml: the directory and each public member."""

from django.urls import reverse

from laureates.sitemaps import PortalSitemap
from network import selectors


class NetworkIndexSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return ["network:index"]

    def location(self, item):
        return reverse(item)


class NetworkMemberSitemap(PortalSitemap):
    """One page per member of the public directory, dated by its last change."""

    changefreq = "monthly"

    def items(self):
        return selectors.public_members().order_by("name", "pk")

    def lastmod(self, member):
        return member.updated_at


SITEMAPS = {"network": NetworkIndexSitemap, "network-members": NetworkMemberSitemap}
