"""The Atom feed of newly published laureates (/laureats/flux.atom).

Every link is built on the configured site address (``core.links``), never on
the Host header of the request: Django's feed leaves a link that is already
absolute untouched.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from core.links import absolute_url
from laureates import selectors
from submissions.enums import Theme

FEED_SIZE = 50


class LaureateFeed(Feed):
    feed_type = Atom1Feed
    title = "Label Actions Innovantes : les nouveaux lauréats"
    subtitle = (
        "Les projets innovants des quartiers prioritaires du territoire Grand-Orly Seine Bièvre "
        "primés par le Label Actions Innovantes, dès la publication de leur fiche."
    )
    author_name = "Établissement public territorial Grand-Orly Seine Bièvre"
    feed_copyright = "Licence Ouverte / Open Licence version 2.0 (Etalab)"

    def link(self):
        return absolute_url("/")

    def feed_url(self):
        return absolute_url(reverse("laureates:feed"))

    def items(self):
        return selectors.newest_public_laureates(FEED_SIZE)

    def item_title(self, item):
        return f"{item.title} ({item.year})"

    def item_description(self, item):
        where = f", {item.commune.name}" if item.commune else ""
        return f"{item.pitch} — {item.association_name}{where}, lauréat {item.year}."

    def item_link(self, item):
        return absolute_url(item)

    def item_guid(self, item):
        return absolute_url(item)

    def item_author_name(self, item):
        return item.association_name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [Theme(theme).label for theme in item.themes]
