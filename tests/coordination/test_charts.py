"""The charts' geometry, and their drawing beside a table of the very same figures."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from coordination import charts
from tests.coordination.svg import drawn_values, parse, svg_names, table_values

NBSP = "\u00a0"


def _bars():
    return charts.horizontal_bars(
        slug="essai",
        title="Projets par état",
        description="Proposé : 4 ; Déposé : 1 ; Retiré : 0.",
        label_header="État",
        column="Projets",
        rows=[
            ("Proposé", charts.count(4)),
            ("Déposé", charts.count(1)),
            ("Retiré", charts.count(0)),
        ],
    )


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("60000"), f"60{NBSP}000{NBSP}€"),
        (Decimal("2500.5"), f"2{NBSP}500,50{NBSP}€"),
        (Decimal("-500"), f"-500{NBSP}€"),
        (0, f"0{NBSP}€"),
    ],
)
def test_euros_are_written_the_french_way(amount, text):
    assert charts.euros(amount).text == text


def test_days_and_percent():
    assert (charts.days(12.5).text, charts.days(30.0).text, charts.days(None).text) == (
        f"12,5{NBSP}j",
        f"30{NBSP}j",
        "—",
    )
    assert (charts.percent(3, 11).text, charts.percent(0, 0).text) == (f"27{NBSP}%", f"0{NBSP}%")


def test_bars_are_proportional_and_a_zero_draws_no_bar():
    chart = _bars()
    room = charts.WIDTH - 2 * charts.MARGIN - charts.VALUE_SPACE

    assert [bar.width for bar in chart.bars] == [room, room / 4, 0]
    assert chart.height == 2 * charts.MARGIN + 3 * charts.ROW_HEIGHT
    # Each value is written just after the end of its bar.
    assert [bar.value_x - bar.x - bar.width for bar in chart.bars] == [8, 8, 8]


def test_a_tiny_value_stays_visible():
    chart = charts.horizontal_bars(
        slug="x",
        title="t",
        description="d",
        label_header="l",
        column="c",
        rows=[("grand", charts.count(10000)), ("petit", charts.count(1))],
    )

    assert chart.bars[1].width == 2


def test_funnel_is_centred_and_gives_the_share_of_the_first_stage():
    chart = charts.funnel(
        slug="entonnoir", title="t", description="d", stages=[("Proposés", 8), ("Déposés", 2)]
    )

    assert [bar.x + bar.width / 2 for bar in chart.bars] == [charts.WIDTH / 2] * 2
    assert [[f.text for f in row.figures] for row in chart.rows] == [
        ["8", f"100{NBSP}%"],
        ["2", f"25{NBSP}%"],
    ]
    assert chart.bars[1].caption == f"Déposés : 2 (25{NBSP}%)"


def test_grouped_columns_tell_series_apart_by_pattern():
    chart = charts.grouped_columns(
        slug="historique",
        title="t",
        description="d",
        label_header="Édition",
        series=["Déposés", "Lauréats"],
        groups=[
            ("2030", [charts.count(10), charts.count(5)]),
            ("2031", [charts.count(0), charts.count(2)]),
        ],
    )

    assert [series.pattern for series in chart.legend] == ["plein", "hachures"]
    assert [[bar.pattern for bar in group.bars] for group in chart.groups] == [
        ["plein", "hachures"],
        ["plein", "hachures"],
    ]
    heights = [[bar.height for bar in group.bars] for group in chart.groups]
    assert heights == [[charts.PLOT_HEIGHT, charts.PLOT_HEIGHT / 2], [0, charts.PLOT_HEIGHT / 5]]
    # Every column stands on the same line.
    assert {bar.y + bar.height for group in chart.groups for bar in group.bars} == {chart.baseline}


def _rendered(chart):
    return parse(render_to_string("coordination/charts/_chart.html", {"chart": chart}))


def test_a_drawn_chart_is_an_image_named_by_its_title_and_description():
    document = _rendered(_bars())

    role, tags, texts = svg_names(document, "essai")

    assert (role, tags) == ("img", "title desc")
    assert texts == ["Projets par état", "Proposé : 4 ; Déposé : 1 ; Retiré : 0."]


def test_bars_and_their_table_carry_the_same_figures():
    document = _rendered(_bars())

    drawn = drawn_values(document, "essai")
    table = table_values(document, "essai")

    assert drawn == [("4", "4"), ("1", "1"), ("0", "0")]
    assert [row[0] for row in table] == drawn


def test_grouped_columns_and_their_table_carry_the_same_figures():
    chart = charts.grouped_columns(
        slug="montants",
        title="t",
        description="d",
        label_header="Édition",
        series=["Enveloppe", "Accordé"],
        groups=[
            ("2030", [charts.euros(Decimal("9000")), charts.euros(Decimal("2000.50"))]),
            ("2031", [charts.euros(Decimal("10000")), charts.euros(0)]),
        ],
    )
    document = _rendered(chart)

    drawn = drawn_values(document, "montants")
    table = [cell for row in table_values(document, "montants") for cell in row]

    assert drawn == table
    assert drawn[1] == ("2000.50", f"2{NBSP}000,50{NBSP}€")


def test_funnel_and_its_table_carry_the_same_figures():
    chart = charts.funnel(
        slug="entonnoir", title="t", description="d", stages=[("Proposés", 8), ("Déposés", 2)]
    )
    document = _rendered(chart)

    drawn = drawn_values(document, "entonnoir")
    table = table_values(document, "entonnoir")

    assert [value for value, _ in drawn] == [row[0][0] for row in table] == ["8", "2"]
    # The stage's line says both figures of its row.
    for (_, text), row in zip(drawn, table, strict=True):
        assert all(cell_text in text for _, cell_text in row)
