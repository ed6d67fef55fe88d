import datetime
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laureates.feeds import FEED_SIZE
from tests.laureates.factories import LaureateFactory
from tests.laureates.open_world import (  # noqa: F401  (the fixtures)
    HIDDEN_TITLES,
    world_fixture,
)

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def read_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)


def test_feed_lists_the_public_laureates_newest_first(client, world, settings):
    settings.SITE_URL = "https://label.exemple.fr"

    feed = read_feed(client.get(reverse("laureates:feed"), headers={"host": "testserver"}))

    assert feed.findtext("atom:title", namespaces=ATOM) == (
        "Label Actions Innovantes : les nouveaux lauréats"
    )
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == (
        "https://label.exemple.fr/laureats/flux.atom"
    )
    entries = feed.findall("atom:entry", ATOM)
    assert [entry.findtext("atom:title", namespaces=ATOM) for entry in entries] == [
        '=HYPERLINK("http://x") atelier vélo (2024)',
        "Café des parents (2024)",
        "Jardin partagé des Ardoines (2023)",
    ]
    cafe = entries[1]
    assert cafe.find("atom:link", ATOM).get("href") == (
        "https://label.exemple.fr/laureats/2024/cafe-des-parents/"
    )
    assert cafe.findtext("atom:id", namespaces=ATOM) == (
        "https://label.exemple.fr/laureats/2024/cafe-des-parents/"
    )
    assert cafe.findtext("atom:author/atom:name", namespaces=ATOM) == (
        "Association Les Voisins d'Ivry"
    )
    assert cafe.findtext("atom:summary", namespaces=ATOM) == (
        "Un café où les parents se retrouvent après l'école. — Association Les Voisins d'Ivry, "
        "Ivry-sur-Seine, lauréat 2024."
    )
    assert [c.get("term") for c in cafe.findall("atom:category", ATOM)] == [
        "Éducation et jeunesse",
        "Lien social et citoyenneté",
    ]
    published = datetime.datetime.fromisoformat(cafe.findtext("atom:published", namespaces=ATOM))
    assert published == world["ivry"].published_at
    assert b"testserver" not in client.get(reverse("laureates:feed")).content


def test_feed_leaves_out_what_is_not_public(client, world):
    feed = read_feed(client.get(reverse("laureates:feed")))

    titles = {e.findtext("atom:title", namespaces=ATOM) for e in feed.findall("atom:entry", ATOM)}
    assert {title.rsplit(" (", 1)[0] for title in titles} & HIDDEN_TITLES == set()


def test_feed_keeps_the_fifty_newest(client, db):
    oldest = LaureateFactory(
        public=True, title="Le plus ancien", published_at=timezone.now() - datetime.timedelta(1)
    )
    LaureateFactory.create_batch(FEED_SIZE, public=True)

    feed = read_feed(client.get(reverse("laureates:feed")))

    titles = [e.findtext("atom:title", namespaces=ATOM) for e in feed.findall("atom:entry", ATOM)]
    assert len(titles) == FEED_SIZE == 50
    assert f"{oldest.title} ({oldest.year})" not in titles


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_feed_costs_one_query_with_ten_or_many_laureates(client, db):
    LaureateFactory.create_batch(10, public=True)
    with_ten = _queries(client, reverse("laureates:feed"))

    LaureateFactory.create_batch(30, public=True)
    with_forty = _queries(client, reverse("laureates:feed"))

    assert with_ten == with_forty == 1
