"""The territory map: the 24 communes drawn on the server as SVG, with their laureates.

The outlines (``accounts/data/territoire/communes.geojson``, IGN Admin
Express) are projected once per process: an equirectangular projection
scaled by the cosine of the mean latitude, which is faithful enough over
20 km, rounded to whole units of the drawing and stripped of the points
that rounding made repeat, so the SVG stays small. No tile server, no
script: each commune is a link to the list of its laureates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.urls import reverse

from accounts.selectors import communes_with_contract
from accounts.territory import DATA_DIR
from core.text import plural
from laureates import selectors

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from laureates.models import Laureate

GEOJSON = DATA_DIR / "communes.geojson"
# Height of the drawing in SVG units; the width follows the territory's shape.
HEIGHT = 600
MARGIN = 6
# One colour per contrat de ville (Okabe-Ito, told apart with common colour
# blindness), in the order of their ANCT code; grey for a commune outside any.
PALETTE = [
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#B8A98A",
]
NO_CONTRACT_COLOUR = "#D9D9D9"
NO_CONTRACT_LABEL = "Aucun contrat de ville (2015-2023)"
CREDIT = "Contours : IGN Admin Express, Licence Ouverte (Etalab)"


@dataclass(frozen=True)
class Outline:
    """One commune as drawn: its SVG path and where its figure goes."""

    insee: str
    path: str
    label_x: int
    label_y: int


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _area(ring: list[tuple[float, float]]) -> float:
    """Twice the signed area of a closed ring (shoelace formula)."""
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
    )


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """The centre of mass of a closed ring (its vertices' mean if it has no area)."""
    area = _area(ring)
    if abs(area) < 1e-9:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def _ring_path(points: list[tuple[int, int]]) -> str:
    kept = [points[0]]
    for point in points[1:]:
        if point != kept[-1]:
            kept.append(point)
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()
    head, *tail = kept
    return f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in tail) + "Z"


@cache
def projected_outlines() -> tuple[tuple[int, int], dict[str, Outline]]:
    """Return the drawing's size and each commune's outline, by INSEE code (computed once)."""
    with open(GEOJSON, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    rings_by_code = {f["properties"]["code"]: _rings(f["geometry"]) for f in features}
    points = [p for rings in rings_by_code.values() for ring in rings for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    x_factor = math.cos(math.radians((north + south) / 2))
    scale = (HEIGHT - 2 * MARGIN) / (north - south)
    width = round((east - west) * x_factor * scale) + 2 * MARGIN

    def project(lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - west) * x_factor * scale, MARGIN + (north - lat) * scale

    outlines = {}
    for code, rings in rings_by_code.items():
        projected = [[project(lon, lat) for lon, lat in ring] for ring in rings]
        # The figure goes at the centre of the largest ring (a commune's main part).
        largest = max(projected, key=lambda ring: abs(_area(ring)))
        label_x, label_y = _centroid(largest)
        path = "".join(_ring_path([(round(x), round(y)) for x, y in ring]) for ring in projected)
        outlines[code] = Outline(code, path, round(label_x), round(label_y))
    return (width, HEIGHT), outlines


def _laureate_count(count: int) -> str:
    if not count:
        return "aucun lauréat"
    return f"{count} {plural(count, 'lauréat', 'lauréats')}"


@dataclass(frozen=True)
class MapSubject:
    """What a map counts, in the words its figures, links and table read."""

    title: str  # « Carte des lauréats par commune »
    column: str  # the table's column: « Lauréats »
    caption: str  # the table's caption: « Nombre de lauréats par commune »
    count_label: Callable[[int], str]  # « 3 lauréats », « aucun lauréat »
    figure_note: str  # « Le chiffre sur une commune est son nombre de lauréats. »
    link_note: str  # « Chaque commune est un lien vers ses lauréats. »


LAUREATES = MapSubject(
    title="Carte des lauréats par commune",
    column="Lauréats",
    caption="Nombre de lauréats par commune",
    count_label=_laureate_count,
    figure_note="Le chiffre sur une commune est son nombre de lauréats.",
    link_note="Chaque commune est un lien vers ses lauréats.",
)


def territory_map(laureates: QuerySet[Laureate]) -> dict:
    """The context of ``laureates/_map.html`` for these (public) laureates: two queries."""
    return communes_map(
        selectors.laureate_counts_by_commune(laureates),
        subject=LAUREATES,
        url=lambda insee: f"{reverse('laureates:list')}?commune={insee}",
    )


def communes_map(counts: dict[str, int], *, subject: MapSubject, url: Callable[[str], str]) -> dict:
    """The context of ``laureates/_map.html``: ``counts`` by INSEE code, each commune a link
    to ``url(insee)``; one query (the communes) besides the counts'."""
    (width, height), outlines = projected_outlines()
    communes = list(communes_with_contract())
    contracts = sorted(
        {c.city_contract for c in communes if c.city_contract}, key=lambda contract: contract.code
    )
    colours = {contract.pk: PALETTE[i % len(PALETTE)] for i, contract in enumerate(contracts)}
    drawn = []
    for commune in communes:
        outline = outlines.get(commune.insee)
        if outline is None:
            continue
        count = counts.get(commune.insee, 0)
        contract = commune.city_contract
        drawn.append(
            {
                "insee": commune.insee,
                "name": commune.name,
                "contract": contract.short_name if contract else "",
                "colour": colours[contract.pk] if contract else NO_CONTRACT_COLOUR,
                "count": count,
                "label": f"{commune.name} : {subject.count_label(count)}",
                "url": url(commune.insee),
                "path": outline.path,
                "x": outline.label_x,
                "y": outline.label_y,
            }
        )
    legend = [(contract.short_name, colours[contract.pk]) for contract in contracts]
    if any(not commune.city_contract for commune in communes):
        legend.append((NO_CONTRACT_LABEL, NO_CONTRACT_COLOUR))
    return {
        "view_box": f"0 0 {width} {height}",
        "width": width,
        "height": height,
        "communes": drawn,
        "legend": legend,
        "total": sum(commune["count"] for commune in drawn),
        "credit": CREDIT,
        "subject": subject,
    }
