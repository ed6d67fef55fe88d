import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laureates.map import NO_CONTRACT_COLOUR, PALETTE, projected_outlines, territory_map
from laureates.selectors import public_laureates
from tests.factories import commune
from tests.laureates.factories import LaureateFactory
from tests.laureates.open_world import world_fixture  # noqa: F401


def home_svg(client) -> ET.Element:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    match = re.search(r'<svg class="territory-map-svg".*?</svg>', response.content.decode(), re.S)
    return ET.fromstring(match.group(0))  # noqa: S314 (the portal's own page)


def test_the_home_map_draws_24_communes_each_a_link_with_its_count(client, world):
    svg = home_svg(client)

    assert svg.get("role") == "group"
    title = svg.find("title")
    desc = svg.find("desc")
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Carte des lauréats par commune"
    assert "24 communes" in desc.text
    assert "(3 en tout)" in desc.text
    links = {a.get("aria-label"): a for a in svg.findall("a")}
    assert len(links) == 24
    ivry = links["Ivry-sur-Seine : 1 lauréat"]
    assert ivry.get("href") == "/laureats/?commune=94041"
    assert ivry.find("title").text == "Ivry-sur-Seine : 1 lauréat"
    assert ivry.find("text").text == "1"
    assert links["Athis-Mons : 1 lauréat"].get("href") == "/laureats/?commune=91027"
    assert links["Vitry-sur-Seine : 1 lauréat"].find("text").text == "1"
    # A commune without laureate draws no figure.
    assert links["Orly : aucun lauréat"].find("text") is None


def test_the_map_counts_only_public_laureates(client, world):
    # Ivry also has a card of an unpublished edition and a card in review.
    context = territory_map(public_laureates())

    counts = {commune["insee"]: commune["count"] for commune in context["communes"]}
    assert counts["94041"] == 1
    assert sum(counts.values()) == context["total"] == 3


def test_the_map_colours_communes_by_contrat_de_ville(db):
    context = territory_map(public_laureates())

    by_name = {commune["name"]: commune for commune in context["communes"]}
    assert by_name["Ivry-sur-Seine"]["colour"] == by_name["Vitry-sur-Seine"]["colour"]
    assert by_name["Ivry-sur-Seine"]["contract"] == "Seine Amont"
    assert by_name["Ivry-sur-Seine"]["colour"] != by_name["Athis-Mons"]["colour"]
    # Chevilly-Larue and Villeneuve-le-Roi had no contrat de ville (2015-2023).
    assert by_name["Chevilly-Larue"]["colour"] == NO_CONTRACT_COLOUR
    assert by_name["Chevilly-Larue"]["contract"] == ""
    assert len({c["colour"] for c in context["communes"]} - {NO_CONTRACT_COLOUR}) == 8
    assert [colour for _, colour in context["legend"]] == [*PALETTE, NO_CONTRACT_COLOUR]


def test_the_map_table_gives_the_same_figures(client, world):
    content = client.get(reverse("home")).content.decode()
    table = re.search(r"<table.*?</table>", content, re.S).group(0)

    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td>([^<]*)</td>\s*'
        r'<td class="text-end">(\d+)</td>',
        table,
    )
    assert len(rows) == 24
    assert ("/laureats/?commune=94041", "Ivry-sur-Seine", "Seine Amont", "1") in rows
    assert ("/laureats/?commune=94021", "Chevilly-Larue", "—", "0") in rows
    assert "Contours : IGN Admin Express, Licence Ouverte (Etalab)" in content


def test_the_projected_outlines_are_small_and_computed_once():
    (width, height), outlines = projected_outlines()

    assert projected_outlines() is projected_outlines()
    assert (width, height) == (392, 600)
    assert len(outlines) == 24
    assert sum(len(outline.path) for outline in outlines.values()) < 8000
    # Whole numbers inside the drawing, every commune's figure on its own ground.
    for outline in outlines.values():
        numbers = [int(n) for n in re.findall(r"-?\d+(?:\.\d+)?", outline.path)]
        assert all(0 <= n <= max(width, height) for n in numbers)
        assert 0 < outline.label_x < width and 0 < outline.label_y < height


def test_the_home_map_costs_the_same_with_few_or_many_laureates(client, db):
    orly = commune("94054")
    LaureateFactory.create_batch(2, public=True, commune=orly)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))

    LaureateFactory.create_batch(20, public=True, commune=orly)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("home"))

    assert len(few) == len(many)
    assert "Orly : 22 lauréats" in response.content.decode()
