"""Charts drawn on the server: the geometry in Python, the SVG in templates/coordination/charts/.

A chart is built from the rows of the table printed beside it: each value is
a ``Figure`` (the number and how it is written), and the drawing and the
table write the same ``Figure.text``, so they cannot disagree. Three kinds:
horizontal bars, a funnel, and columns grouped by year. Shapes are placed on
a fixed grid (``WIDTH`` units wide) that the browser scales: without
JavaScript, on a phone as on paper.

Accessibility (RGAA): the SVG is ``role="img"`` named by its ``<title>`` and
``<desc>``; every bar carries its value in text; series are told apart by a
pattern and a legend, never by colour alone; text is dark on white.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from coordination import stats
from coordination.stats import Amounts, EditionFigures, QpvCount, Scope, Stage
from core import cache_versions

WIDTH = 640
MARGIN = 8
# Horizontal bars and funnel: a line of text, the bar under it.
ROW_HEIGHT = 52
BAR_HEIGHT = 18
VALUE_SPACE = 140
# Grouped columns.
PLOT_HEIGHT = 200
VALUE_LABEL_SPACE = 96
LEGEND_LINE = 26
AXIS_SPACE = 34
COLUMN_MAX_WIDTH = 30

SPACE = "\u00a0"
# The fills of a chart's series: a solid fill, then patterns (templates/coordination/charts/_patterns.html).
PATTERNS = ("plein", "hachures", "points", "lignes")


@dataclass(frozen=True)
class Figure:
    """A value and how it is written, the same in the chart and in its table."""

    number: Decimal | int | float
    text: str


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", SPACE)


def count(number: int) -> Figure:
    return Figure(number, _grouped(number))


def euros(amount: Decimal | int) -> Figure:
    """« 60 000 € », or « 2 500,50 € » when there are cents."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, cents = divmod(abs(amount), 1)
    text = _grouped(int(whole)) + (f",{int(cents * 100):02d}" if cents else "")
    sign = "-" if amount < 0 else ""
    return Figure(amount, f"{sign}{text}{SPACE}€")


def percent(part: int, whole: int) -> Figure:
    value = round(part * 100 / whole) if whole else 0
    return Figure(value, f"{value}{SPACE}%")


def days(value: float | None) -> Figure:
    if value is None:
        return Figure(0, "—")
    text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return Figure(value, f"{text}{SPACE}j")


@dataclass(frozen=True)
class TableRow:
    label: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Bar:
    """One bar (or one column) and where its texts go."""

    label: str
    figure: Figure
    x: float
    y: float
    width: float
    height: float
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0
    # The sentence written on the line of a funnel's stage.
    caption: str = ""
    pattern: str = PATTERNS[0]
    series: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    pattern: str
    swatch_x: float
    swatch_y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Group:
    label: str
    x: float
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    """A chart, its geometry and the table of the same figures."""

    slug: str
    kind: str  # "bars", "funnel" or "grouped": the template that draws it
    title: str
    description: str
    label_header: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    height: float
    bars: tuple[Bar, ...] = ()
    groups: tuple[Group, ...] = ()
    legend: tuple[Series, ...] = ()
    note: str = ""
    # Where the columns of a grouped chart stand.
    baseline: float = 0
    width: int = WIDTH

    @property
    def template(self) -> str:
        return f"coordination/charts/_{self.kind}.html"


def _length(value, largest, room: float) -> float:
    if not largest or not value:
        return 0
    # A value above zero stays visible, however small beside the largest.
    return round(max(float(value) / float(largest) * room, 2), 1)


def horizontal_bars(
    *,
    slug: str,
    title: str,
    description: str,
    label_header: str,
    column: str,
    rows: Sequence[tuple[str, Figure]],
    note: str = "",
) -> Chart:
    """One bar per row, its label above it and its value at its end."""
    room = WIDTH - 2 * MARGIN - VALUE_SPACE
    largest = max((figure.number for _, figure in rows), default=0)
    bars = []
    for index, (label, figure) in enumerate(rows):
        top = MARGIN + index * ROW_HEIGHT
        length = _length(figure.number, largest, room)
        bars.append(
            Bar(
                label=label,
                figure=figure,
                x=MARGIN,
                y=top + 26,
                width=length,
                height=BAR_HEIGHT,
                label_x=MARGIN,
                label_y=top + 18,
                value_x=MARGIN + length + 8,
                value_y=top + 40,
            )
        )
    return Chart(
        slug=slug,
        kind="bars",
        title=title,
        description=description,
        label_header=label_header,
        columns=(column,),
        rows=tuple(TableRow(label, (figure,)) for label, figure in rows),
        height=MARGIN * 2 + len(rows) * ROW_HEIGHT,
        bars=tuple(bars),
        note=note,
    )


def funnel(*, slug: str, title: str, description: str, stages: Sequence[tuple[str, int]]) -> Chart:
    """Stages narrowing around the middle, each with its count and its share of the first."""
    first = stages[0][1] if stages else 0
    room = WIDTH - 2 * MARGIN
    largest = max((value for _, value in stages), default=0)
    rows = []
    bars = []
    for index, (label, value) in enumerate(stages):
        figure, share = count(value), percent(value, first)
        rows.append(TableRow(label, (figure, share)))
        top = MARGIN + index * ROW_HEIGHT
        length = _length(value, largest, room)
        bars.append(
            Bar(
                label=label,
                figure=figure,
                x=round((WIDTH - length) / 2, 1),
                y=top + 26,
                width=length,
                height=BAR_HEIGHT + 6,
                label_x=WIDTH / 2,
                label_y=top + 18,
                caption=f"{label} : {figure.text} ({share.text})",
            )
        )
    return Chart(
        slug=slug,
        kind="funnel",
        title=title,
        description=description,
        label_header="Étape",
        columns=("Projets", "Part des proposés"),
        rows=tuple(rows),
        height=MARGIN * 2 + len(stages) * ROW_HEIGHT + 6,
        bars=tuple(bars),
    )


def grouped_columns(
    *,
    slug: str,
    title: str,
    description: str,
    label_header: str,
    series: Sequence[str],
    groups: Sequence[tuple[str, Sequence[Figure]]],
    note: str = "",
) -> Chart:
    """Columns grouped by category (a year), one per series, told apart by their patterns."""
    per_line = 2
    legend = []
    for index, label in enumerate(series):
        line, column = divmod(index, per_line)
        x = MARGIN + column * (WIDTH - 2 * MARGIN) / per_line
        y = MARGIN + line * LEGEND_LINE
        legend.append(
            Series(
                label=label,
                pattern=PATTERNS[index % len(PATTERNS)],
                swatch_x=x,
                swatch_y=y,
                text_x=x + 26,
                text_y=y + 14,
            )
        )
    legend_height = MARGIN + -(-len(series) // per_line) * LEGEND_LINE
    top = legend_height + VALUE_LABEL_SPACE
    baseline = top + PLOT_HEIGHT
    largest = max((figure.number for _, figures in groups for figure in figures), default=0)
    group_width = (WIDTH - 2 * MARGIN) / max(len(groups), 1)
    column_width = min(COLUMN_MAX_WIDTH, (group_width - 12) / max(len(series), 1))
    drawn = []
    for index, (label, figures) in enumerate(groups):
        left = MARGIN + index * group_width + (group_width - column_width * len(series)) / 2
        bars = []
        for position, figure in enumerate(figures):
            height = _length(figure.number, largest, PLOT_HEIGHT)
            x = round(left + position * column_width, 1)
            bars.append(
                Bar(
                    label=label,
                    figure=figure,
                    x=x,
                    y=round(baseline - height, 1),
                    width=round(column_width - 3, 1),
                    height=height,
                    value_x=round(x + column_width / 2 + 4, 1),
                    value_y=round(baseline - height - 6, 1),
                    pattern=PATTERNS[position % len(PATTERNS)],
                    series=series[position],
                )
            )
        drawn.append(
            Group(
                label=label,
                x=round(MARGIN + index * group_width + group_width / 2, 1),
                y=baseline + 24,
                bars=tuple(bars),
            )
        )
    return Chart(
        slug=slug,
        kind="grouped",
        title=title,
        description=description,
        label_header=label_header,
        columns=tuple(series),
        rows=tuple(TableRow(label, tuple(figures)) for label, figures in groups),
        height=baseline + AXIS_SPACE,
        groups=tuple(drawn),
        legend=tuple(legend),
        note=note,
        baseline=baseline,
    )


# --- the dashboard's charts ---------------------------------------------------------------


def _scope_words(scope: Scope) -> str:
    where = (
        f"le contrat de ville {scope.contract.short_name}" if scope.contract else "le territoire"
    )
    return f"l'édition {scope.edition.year}, {where}"


def funnel_chart(scope: Scope, stages: Sequence[tuple[Stage, int]]) -> Chart:
    words = ", ".join(f"{stage.label.lower()} {value}" for stage, value in stages)
    return funnel(
        slug="entonnoir",
        title=f"Du projet proposé au lauréat, {_scope_words(scope)}",
        description=f"Nombre de projets arrivés à chaque étape : {words}.",
        stages=[(stage.label, value) for stage, value in stages],
    )


def states_chart(scope: Scope, counts: Sequence[tuple[str, str, int]]) -> Chart:
    return horizontal_bars(
        slug="etats",
        title=f"Projets par état aujourd'hui, {_scope_words(scope)}",
        description="Un projet compte dans son état actuel, brouillons exclus. "
        + "; ".join(f"{label} : {value}" for _, label, value in counts)
        + ".",
        label_header="État",
        column="Projets",
        rows=[(label, count(value)) for _, label, value in counts],
    )


def themes_chart(scope: Scope, counts: Sequence[tuple[str, str, int]]) -> Chart:
    return horizontal_bars(
        slug="themes",
        title=f"Projets par thème, {_scope_words(scope)}",
        description="Un projet à plusieurs thèmes compte dans chacun. "
        + "; ".join(f"{label} : {value}" for _, label, value in counts)
        + ".",
        label_header="Thème",
        column="Projets",
        rows=[(label, count(value)) for _, label, value in counts],
        note="Un projet à plusieurs thèmes compte dans chacun.",
    )


def qpvs_chart(scope: Scope, counts: Sequence[QpvCount]) -> Chart:
    rows = [(row.name or "Sans quartier indiqué", count(row.projects)) for row in counts]
    return horizontal_bars(
        slug="quartiers",
        title=f"Projets par quartier prioritaire, {_scope_words(scope)}",
        description="Un projet qui vise plusieurs quartiers compte dans chacun. "
        + ("; ".join(f"{label} : {figure.text}" for label, figure in rows) or "Aucun projet")
        + ".",
        label_header="Quartier",
        column="Projets",
        rows=rows,
        note="Un projet qui vise plusieurs quartiers compte dans chacun.",
    )


def amounts_chart(scope: Scope, money: Amounts) -> Chart:
    envelope = "Enveloppe de l'édition" + ("" if money.whole_territory else " (tout le territoire)")
    rows = [
        (envelope, euros(money.envelope)),
        ("Demandé par les dossiers déposés", euros(money.requested)),
        ("Accordé aux lauréats", euros(money.granted)),
    ]
    return horizontal_bars(
        slug="montants",
        title=f"Montants demandés et accordés, {_scope_words(scope)}",
        description="; ".join(f"{label} : {figure.text}" for label, figure in rows) + ".",
        label_header="Montant",
        column="Euros",
        rows=rows,
    )


def history_stages_chart(scope: Scope, years: Sequence[EditionFigures]) -> Chart:
    series = ["Proposés", "Déposés", "Retenus pour audition", "Lauréats"]
    groups = [
        (
            str(row.year),
            [
                count(row.stages["proposed"]),
                count(row.deposited),
                count(row.stages["shortlisted"]),
                count(row.laureates),
            ],
        )
        for row in years
    ]
    return grouped_columns(
        slug="historique-projets",
        title="Projets d'une édition à l'autre"
        + (f", contrat de ville {scope.contract.short_name}" if scope.contract else ""),
        description=_by_edition(series, groups),
        label_header="Édition",
        series=series,
        groups=groups,
        note=_archives_note(years),
    )


def history_amounts_chart(scope: Scope, years: Sequence[EditionFigures]) -> Chart:
    series = ["Enveloppe", "Demandé", "Accordé"]
    groups = [
        (
            str(row.year),
            [euros(row.edition.budget_envelope), euros(row.requested), euros(row.granted)],
        )
        for row in years
    ]
    return grouped_columns(
        slug="historique-montants",
        title="Montants d'une édition à l'autre"
        + (f", contrat de ville {scope.contract.short_name}" if scope.contract else ""),
        description=_by_edition(series, groups),
        label_header="Édition",
        series=series,
        groups=groups,
        note="L'enveloppe est celle de toute l'édition." if scope.contract else "",
    )


def _by_edition(series: Sequence[str], groups: Sequence[tuple[str, Sequence[Figure]]]) -> str:
    lines = [
        f"{label} : "
        + ", ".join(f"{name.lower()} {f.text}" for name, f in zip(series, figures, strict=True))
        for label, figures in groups
    ]
    return "Par édition : " + "; ".join(lines) + "."


def _archives_note(years: Sequence[EditionFigures]) -> str:
    archived = [str(row.year) for row in years if row.from_archives]
    if not archived:
        return ""
    return (
        f"Éditions d'avant le portail ({', '.join(archived)}) : dossiers reçus d'après la "
        "vitrine de l'édition, lauréats d'après les fiches des archives."
    )


def dashboard(scope: Scope) -> dict:
    """Every figure and chart of a dashboard page."""
    found = stats.figures(scope)
    money = found.amounts
    return {
        "funnel_chart": funnel_chart(scope, found.funnel),
        "states_chart": states_chart(scope, found.states),
        "themes_chart": themes_chart(scope, found.themes),
        "qpvs_chart": qpvs_chart(scope, found.qpvs),
        "amounts": money,
        "amounts_chart": amounts_chart(scope, money),
        "remainder": euros(money.remainder),
        "overrun": euros(money.overrun),
        "delay_rows": delay_rows(found.delay),
        "workload": found.workload,
        "history_stages_chart": history_stages_chart(scope, found.history),
        "history_amounts_chart": history_amounts_chart(scope, found.history),
    }


def figures_html(scope: Scope) -> SafeString:
    """The figures and charts of a dashboard page, rendered once while the figures hold.

    The same for every person who may open the scope: kept in the shared cache
    under the figures' version, a page opened again renders no chart.
    """
    contract = scope.contract.pk if scope.contract else "territoire"
    html = cache_versions.cached(
        stats.VERSION,
        ("page", scope.edition.pk, contract),
        lambda: str(
            render_to_string("coordination/_figures.html", {"scope": scope, **dashboard(scope)})
        ),
    )
    # Safe: the template rendered it, escaping what it shows.
    return mark_safe(html)


def delay_rows(delay: stats.Delay) -> list[tuple[str, Figure]]:
    """The time from proposal to deposit, as the lines of its table."""
    return [
        ("Projets déposés mesurés", count(delay.count)),
        ("Médiane", days(delay.median)),
        ("Un quart des projets en moins de", days(delay.first_quartile)),
        ("Trois quarts des projets en moins de", days(delay.third_quartile)),
        ("Le plus rapide", days(delay.shortest)),
        ("Le plus long", days(delay.longest)),
    ]
