"""The laureates' badge: « Lauréat Label Actions Innovantes <year> », as SVG and PNG.

One design, drawn twice: the SVG template and the PNG (Pillow) read the same
layout below, so both files look alike. The PNG uses the portal's own font
(Source Sans 3, SIL Open Font License, in static/vendor/fonts); the SVG names
it first in a font stack of installed fonts and loads nothing from outside.
"""

import functools
import io
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont

# The drawing's own units: a square of VIEWBOX × VIEWBOX.
VIEWBOX = 400
CENTRE = VIEWBOX // 2
DISC_RADIUS = 196
RING_RADIUS = 178
RING_WIDTH = 4
BLUE = "#1f3f8f"  # the portal's primary colour (static/css/portal.css)
WHITE = "#ffffff"
FONT_STACK = '"Source Sans 3", "DejaVu Sans", Arial, sans-serif'
FONT_FILES = {
    400: "vendor/fonts/source-sans-3-latin-400-normal.woff2",
    600: "vendor/fonts/source-sans-3-latin-600-normal.woff2",
    700: "vendor/fonts/source-sans-3-latin-700-normal.woff2",
}

# The PNG sizes offered, by the word of their URL: width (= height) in pixels.
PNG_SIZES = {"petit": 300, "grand": 1200}
MINIMUM_WIDTH_PX = 120


@dataclass(frozen=True)
class Line:
    text: str
    baseline: int
    size: int
    weight: int


def lines(year: int) -> list[Line]:
    return [
        Line("LAURÉAT", 112, 38, 700),
        Line("Label Actions", 170, 34, 600),
        Line("Innovantes", 208, 34, 600),
        Line(str(year), 276, 62, 700),
        Line("Grand-Orly Seine Bièvre", 318, 18, 400),
    ]


def alt_text(year: int) -> str:
    """The text alternative to give the badge wherever it is shown."""
    return f"Lauréat du Label Actions Innovantes {year} du Grand-Orly Seine Bièvre"


def badge_svg(year: int) -> str:
    return render_to_string(
        "laureates/badge.svg",
        {
            "year": year,
            "title": alt_text(year),
            "lines": lines(year),
            "viewbox": VIEWBOX,
            "centre": CENTRE,
            "disc_radius": DISC_RADIUS,
            "ring_radius": RING_RADIUS,
            "ring_width": RING_WIDTH,
            "blue": BLUE,
            "white": WHITE,
            "font_stack": FONT_STACK,
        },
    )


@functools.lru_cache(maxsize=16)
def _font(weight: int, size: int) -> ImageFont.FreeTypeFont:
    path = finders.find(FONT_FILES[weight])
    if not isinstance(path, str):
        raise ImproperlyConfigured(f"Police absente des fichiers statiques : {FONT_FILES[weight]}")
    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=32)
def badge_png(year: int, width: int) -> bytes:
    """The badge as a transparent PNG of ``width`` × ``width`` pixels."""
    # Drawn twice as large, then reduced: smooth edges without an anti-aliasing pass.
    scale = 2 * width / VIEWBOX
    canvas = round(VIEWBOX * scale)
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def circle(radius, **style):
        box = [(CENTRE - radius) * scale, (CENTRE - radius) * scale]
        box += [(CENTRE + radius) * scale, (CENTRE + radius) * scale]
        draw.ellipse(box, **style)

    circle(DISC_RADIUS, fill=BLUE)
    circle(RING_RADIUS, outline=WHITE, width=round(RING_WIDTH * scale))
    for line in lines(year):
        draw.text(
            (CENTRE * scale, line.baseline * scale),
            line.text,
            font=_font(line.weight, round(line.size * scale)),
            fill=WHITE,
            anchor="ms",  # centred on the baseline, as the SVG's text-anchor="middle"
        )
    image = image.resize((width, width), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def badge_filename(year: int, extension: str, size: str = "") -> str:
    suffix = f"-{size}" if size else ""
    return f"laureat-label-actions-innovantes-{year}{suffix}.{extension}"
