"""The network's public pages in /sitemap.xml: the directory, each public member, the
meetings' archive and each public meeting."""

from django.urls import reverse

from laureates.sitemaps import PortalSitemap
from network import selectors


class NetworkIndexSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return ["network:index", "network:archive"]

    def location(self, item):
        return reverse(item)


class NetworkMemberSitemap(PortalSitemap):
    """One page per member of the public directory, dated by its last change."""

    changefreq = "monthly"

    def items(self):
        return selectors.public_members().order_by("name", "pk")

    def lastmod(self, member):
        return member.updated_at


class MeetingSitemap(PortalSitemap):
    """One page per announced meeting, held ones included (their programme stays)."""

    changefreq = "weekly"

    def items(self):
        return selectors.public_meetings().order_by("-starts_at", "pk")

    def lastmod(self, meeting):
        return meeting.updated_at


SITEMAPS = {
    "network": NetworkIndexSitemap,
    "network-members": NetworkMemberSitemap,
    "network-meetings": MeetingSitemap,
}
