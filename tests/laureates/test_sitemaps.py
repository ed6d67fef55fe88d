import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.laureates.factories import LaureateFactory
from tests.laureates.open_world import world_fixture  # noqa: F401

SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def read_sitemap(response) -> dict[str, str | None]:
    """Each location of the sitemap with its lastmod."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 (the portal's own answer)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP): url.findtext("sm:lastmod", namespaces=SITEMAP)
        for url in root.findall("sm:url", SITEMAP)
    }


def test_sitemap_lists_the_public_pages_on_the_site_address(client, world, settings):
    settings.SITE_URL = "https://label.exemple.fr"

    urls = read_sitemap(client.get(reverse("sitemap_xml"), headers={"host": "testserver"}))

    site = "https://label.exemple.fr"
    assert list(urls) == [
        f"{site}/",
        f"{site}/contrats-de-ville/",
        f"{site}/accessibilite/",
        f"{site}/mentions-legales/",
        f"{site}/donnees-personnelles/",
        f"{site}/plan-du-site/",
        f"{site}/laureats/",
        f"{site}/laureats/donnees/",
        # The published editions, newest first…
        f"{site}/laureats/2024/",
        f"{site}/laureats/2023/",
        # …and their public laureates.
        f"{site}/laureats/2024/atelier-velo/",
        f"{site}/laureats/2024/cafe-des-parents/",
        f"{site}/laureats/2023/jardin-partage/",
        # The network's directory (its members: none in this world), the meetings' archive.
        f"{site}/reseau/",
        f"{site}/reseau/rencontres/",
    ]
    assert urls[f"{site}/laureats/2024/cafe-des-parents/"] == (
        f"{timezone.localtime(world['ivry'].updated_at):%Y-%m-%d}"
    )
    assert (
        urls[f"{site}/laureats/2024/"]
        == f"{timezone.localtime(world['ivry'].edition.showcase.published_at):%Y-%m-%d}"
    )
    assert urls[f"{site}/"] is None


def test_sitemap_leaves_out_unpublished_editions_and_cards(client, world):
    urls = read_sitemap(client.get(reverse("sitemap_xml")))

    assert not [url for url in urls if "2025" in url or "fiche-en-relecture" in url]


def test_robots_txt_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://label.exemple.fr"

    response = client.get(reverse("robots_txt"))

    assert "Sitemap: https://label.exemple.fr/sitemap.xml" in response.content.decode().splitlines()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("sitemap_xml"))
    assert response.status_code == 200
    return len(queries)


def test_sitemap_costs_the_same_with_ten_or_many_laureates(client, db):
    LaureateFactory.create_batch(10, public=True)
    with_ten = _queries(client)

    LaureateFactory.create_batch(20, public=True)
    with_thirty = _queries(client)

    # Per section of laureates and editions: the count for the pages, then the rows; the
    # network members' and meetings' sections count their (here no) rows.
    assert with_ten == with_thirty == 6
