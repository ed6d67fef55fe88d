"""Jury arithmetic: weighted totals, per-project statistics, rankings, juror severity.

Pure Python on purpose (no model, no query): the views and services load the
numbers, this module does the sums, and its tests run on known numbers.

Conventions
-----------
* Every value is a ``Decimal`` (``int`` is accepted and converted; ``float``
  is refused because it cannot hold 0.1 exactly). Nothing goes through
  ``float``: the ``statistics`` module works on ``Decimal`` natively, and its
  ``mean``, ``median`` and ``stdev`` are computed exactly (through fractions)
  and rounded once.
* Intermediate arithmetic runs with 50 significant digits. Values meant for
  display are rounded to 2 decimals with ``ROUND_HALF_UP`` (halves go away
  from zero: 0.005 gives 0.01, -0.005 gives -0.01).
* Each displayed number is derived from displayed numbers: project statistics
  are computed from the rounded weighted totals, the normalised ranking from
  the rounded normalised totals, so a reader can redo any of them by hand
  from the tables the jury sees.
* Weighted totals are on a 0–100 scale, whatever the criteria's scales.
* Conflicts of interest are the caller's business: a juror who declared a
  conflict on a project must simply have no total for it. Nothing here can
  tell a recusal from a missing evaluation, and none of the functions below
  expects one.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "CriterionSpec",
    "ProjectStats",
    "juror_severity",
    "normalised_ranking",
    "normalised_totals",
    "partial_weighted_total",
    "project_stats",
    "ranking",
    "weighted_total",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
WORKING_PRECISION = 50


def _as_decimal(value: object, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal; refuse floats, strings and booleans."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, got {number}")
    return number


def _round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _rank(means: Iterable[tuple[int, Decimal | None]]) -> list[tuple[int | None, int]]:
    """Standard competition ranking (1, 2, 2, 4) by mean, highest first.

    Equal means share a rank and are listed by project id; projects without a
    mean come last, by project id, with rank None.
    """
    rows = list(means)
    scored = sorted(((mean, pk) for pk, mean in rows if mean is not None), key=_rank_key)
    unscored = sorted(pk for pk, mean in rows if mean is None)
    ranked: list[tuple[int | None, int]] = []
    previous: Decimal | None = None
    rank = 0
    for position, (mean, pk) in enumerate(scored, start=1):
        if mean != previous:
            rank = position
            previous = mean
        ranked.append((rank, pk))
    ranked.extend((None, pk) for pk in unscored)
    return ranked


def _rank_key(item: tuple[Decimal, int]) -> tuple[Decimal, int]:
    mean, pk = item
    return (-mean, pk)


# --- Weighted totals ------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """One line of an edition's criteria grid: its id, weight and top of scale.

    The scale always starts at 0. ``weight`` may be 0 for a criterion that is
    scored but does not count; it may not be negative. ``scale_max`` must be
    positive.
    """

    id: int
    weight: Decimal
    scale_max: Decimal

    def __post_init__(self) -> None:
        weight = _as_decimal(self.weight, f"weight of criterion {self.id}")
        scale_max = _as_decimal(self.scale_max, f"scale_max of criterion {self.id}")
        if weight < 0:
            raise ValueError(f"criterion {self.id}: weight {weight} is negative")
        if scale_max <= 0:
            raise ValueError(f"criterion {self.id}: scale_max {scale_max} is not positive")
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "scale_max", scale_max)


def _checked_grid(criteria: Sequence[CriterionSpec]) -> dict[int, CriterionSpec]:
    grid: dict[int, CriterionSpec] = {}
    for spec in criteria:
        if spec.id in grid:
            raise ValueError(f"criterion {spec.id} appears twice in the grid")
        grid[spec.id] = spec
    if sum((spec.weight for spec in grid.values()), Decimal(0)) == 0:
        raise ValueError("the criteria weights add up to zero")
    return grid


def _checked_scores(
    scores: Mapping[int, Decimal | None], grid: Mapping[int, CriterionSpec]
) -> dict[int, Decimal]:
    """Return the given scores as Decimals, dropping None; refuse out-of-grid or out-of-scale."""
    checked: dict[int, Decimal] = {}
    for criterion_id, raw in scores.items():
        if criterion_id not in grid:
            raise ValueError(f"score for criterion {criterion_id}, which is not in the grid")
        if raw is None:
            continue
        score = _as_decimal(raw, f"score for criterion {criterion_id}")
        scale_max = grid[criterion_id].scale_max
        if not 0 <= score <= scale_max:
            raise ValueError(
                f"score {score} for criterion {criterion_id} is outside the scale 0–{scale_max}"
            )
        checked[criterion_id] = score
    return checked


def _weighted_mean_on_100(pairs: Sequence[tuple[CriterionSpec, Decimal]]) -> Decimal:
    """sum(weight * score / scale_max) / sum(weight) * 100, with a single division.

    Every term is brought over the common denominator ``product of the
    distinct scale_max`` (each quotient ``common / scale_max`` is a product of
    the other scales, hence exact), so the only inexact step is the final
    division: a result that is exactly on a half cent stays exactly on it and
    ROUND_HALF_UP rounds it as a hand computation would.
    """
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        common = Decimal(1)
        for scale_max in {spec.scale_max for spec, _ in pairs}:
            common *= scale_max
        numerator = sum(
            (spec.weight * score * (common / spec.scale_max) for spec, score in pairs),
            Decimal(0),
        )
        weights = sum((spec.weight for spec, _ in pairs), Decimal(0))
        return _round2(numerator * HUNDRED / (common * weights))


def weighted_total(scores: Mapping[int, Decimal], criteria: Sequence[CriterionSpec]) -> Decimal:
    """A submitted evaluation's weighted total on a 0–100 scale, rounded to 2 decimals.

    ``scores`` maps criterion id to score. The total is
    ``sum(weight * score / scale_max) / sum(weights) * 100``.

    Raises ValueError when a criterion of the grid has no score (a submitted
    evaluation scores them all), when a score belongs to no criterion of the
    grid or lies outside its scale, when a criterion appears twice, or when
    the weights add up to zero.
    """
    grid = _checked_grid(criteria)
    checked = _checked_scores(scores, grid)
    missing = [spec.id for spec in criteria if spec.id not in checked]
    if missing:
        raise ValueError(f"no score for criteria {missing}")
    return _weighted_mean_on_100([(spec, checked[spec.id]) for spec in criteria])


def partial_weighted_total(
    scores: Mapping[int, Decimal | None], criteria: Sequence[CriterionSpec]
) -> Decimal | None:
    """The live total of a draft: the weighted total over the criteria scored so far.

    Same formula as :func:`weighted_total`, restricted to the criteria that
    have a score (a None score counts as not given). Returns None when no
    criterion is scored yet, or when the ones scored all weigh 0 (there is
    nothing to average). Raises ValueError like :func:`weighted_total` for an
    unknown criterion, an out-of-scale score, a duplicate criterion or a grid
    whose weights add up to zero.
    """
    grid = _checked_grid(criteria)
    checked = _checked_scores(scores, grid)
    pairs = [(spec, checked[spec.id]) for spec in criteria if spec.id in checked]
    if not pairs or sum((spec.weight for spec, _ in pairs), Decimal(0)) == 0:
        return None
    return _weighted_mean_on_100(pairs)


# --- Per project ----------------------------------------------------------


@dataclass
class ProjectStats:
    """What the jury sees about one project's evaluations.

    ``totals`` maps juror id to that juror's weighted total. ``mean``,
    ``median``, ``stdev`` and ``spread`` (highest total minus lowest) are
    rounded to 2 decimals; ``stdev`` is the sample standard deviation and is
    None below two evaluations, the others are None without any evaluation.
    ``progress_label`` reads "received/expected", e.g. "3/5".
    """

    totals: dict[int, Decimal]
    count: int
    expected: int
    mean: Decimal | None
    median: Decimal | None
    stdev: Decimal | None
    disagreement: bool
    progress_label: str
    spread: Decimal | None = field(default=None)


def project_stats(
    totals: Mapping[int, Decimal],
    expected: int,
    *,
    disagreement_threshold: Decimal = Decimal("15"),
) -> ProjectStats:
    """Statistics of one project's weighted totals (0–100), one per juror.

    ``totals`` maps juror id to weighted total; jurors who declared a conflict
    must not appear in it (the caller leaves them out). ``expected`` is the
    number of evaluations awaited: the jurors of the session minus the
    conflicted ones.

    Disagreement rule: the project is flagged when the jurors' totals have a
    sample standard deviation of at least ``disagreement_threshold`` points,
    or when the highest and lowest totals are at least twice the threshold
    apart (this catches a single outlier among many close totals, which barely
    moves the standard deviation). Both comparisons use the rounded values
    that are displayed, so the flag always agrees with the figures next to it.
    A single evaluation is never in disagreement. With the default threshold
    of 15: 60, 70, 80 (stdev 10, spread 20) is not flagged; 40, 90 (stdev
    35.36) is; seven 50s and one 80 (stdev 10.61, spread 30) is.
    """
    threshold = _as_decimal(disagreement_threshold, "disagreement_threshold")
    if threshold <= 0:
        raise ValueError(f"disagreement_threshold must be positive, got {threshold}")
    if isinstance(expected, bool) or not isinstance(expected, int) or expected < 0:
        raise ValueError(f"expected must be a non-negative int, got {expected!r}")
    checked = {
        juror_id: _as_decimal(total, f"total of juror {juror_id}")
        for juror_id, total in totals.items()
    }
    values = list(checked.values())
    count = len(values)

    mean = median = stdev = spread = None
    disagreement = False
    if values:
        with localcontext() as ctx:
            ctx.prec = WORKING_PRECISION
            mean = _round2(statistics.mean(values))
            median = _round2(statistics.median(values))
            spread = _round2(max(values) - min(values))
            if count >= 2:
                stdev = _round2(statistics.stdev(values))
        disagreement = (stdev is not None and stdev >= threshold) or spread >= 2 * threshold

    return ProjectStats(
        totals=checked,
        count=count,
        expected=expected,
        mean=mean,
        median=median,
        stdev=stdev,
        disagreement=disagreement,
        progress_label=f"{count}/{expected}",
        spread=spread,
    )


def ranking(stats: Mapping[int, ProjectStats]) -> list[tuple[int | None, int, ProjectStats]]:
    """Rank projects by mean weighted total, highest first.

    Returns ``(rank, project_id, stats)`` rows. Equal (rounded) means share a
    rank and the next rank skips accordingly (1, 2, 2, 4); equal means are
    listed by project id. Projects without any evaluation come last, by
    project id, with rank None.
    """
    order = _rank((pk, project.mean if project.count else None) for pk, project in stats.items())
    return [(rank, pk, stats[pk]) for rank, pk in order]


# --- Per juror ------------------------------------------------------------


def _checked_juror_totals(
    totals_by_juror: Mapping[int, Mapping[int, Decimal]],
) -> dict[int, dict[int, Decimal]]:
    """juror id -> {project id -> total}, as Decimals, without the jurors who scored nothing."""
    return {
        juror_id: {
            project_id: _as_decimal(total, f"total of juror {juror_id} for project {project_id}")
            for project_id, total in totals.items()
        }
        for juror_id, totals in totals_by_juror.items()
        if totals
    }


def juror_severity(totals_by_juror: Mapping[int, Mapping[int, Decimal]]) -> dict[int, Decimal]:
    """How far each juror's mean total is from the session mean, rounded to 2 decimals.

    ``totals_by_juror`` maps juror id to ``{project id: weighted total}`` for
    the projects that juror evaluated (conflicted projects left out by the
    caller). The session mean is the mean of every individual total of the
    session; a juror's mean is over the projects they scored. A negative
    result means a severe juror, a positive one a lenient juror. Jurors
    without any total are left out of the result.

    The difference of the two means is computed as one fraction,
    ``(sum_j * n - sum * n_j) / (n_j * n)``, so it is exact before rounding.
    """
    checked = _checked_juror_totals(totals_by_juror)
    all_totals = [total for totals in checked.values() for total in totals.values()]
    session_sum = sum(all_totals, Decimal(0))
    session_count = len(all_totals)
    severity: dict[int, Decimal] = {}
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        for juror_id, totals in checked.items():
            juror_sum = sum(totals.values(), Decimal(0))
            juror_count = len(totals)
            difference = (juror_sum * session_count - session_sum * juror_count) / (
                juror_count * session_count
            )
            severity[juror_id] = _round2(difference)
    return severity


def normalised_totals(
    totals_by_juror: Mapping[int, Mapping[int, Decimal]],
) -> dict[int, dict[int, Decimal]]:
    """Each juror's totals with their own severity and range taken out, rounded to 2 decimals.

    ``totals_by_juror`` maps juror id to ``{project id: weighted total}``
    (conflicted projects left out by the caller). Let M and S be the mean and
    sample standard deviation of every total of the session, and m_j and s_j
    those of juror j's totals. Each total x of juror j becomes

        M + (x - m_j) / s_j * S

    i.e. the juror's z-score put back on the session's scale. When juror j
    scored fewer than two projects, or gave them all the same total
    (s_j == 0), only the offset is removed: x - m_j + M (so a juror with a
    single project gives it exactly the session mean). Jurors without any
    total are left out of the result.
    """
    checked = _checked_juror_totals(totals_by_juror)
    all_totals = [total for totals in checked.values() for total in totals.values()]
    result: dict[int, dict[int, Decimal]] = {}
    if not all_totals:
        return result
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        session_mean = statistics.mean(all_totals)
        # Any juror with two totals makes the session have two totals as well.
        session_stdev = statistics.stdev(all_totals) if len(all_totals) >= 2 else None
        for juror_id, totals in checked.items():
            values = list(totals.values())
            juror_mean = statistics.mean(values)
            juror_stdev = statistics.stdev(values) if len(values) >= 2 else Decimal(0)
            normalised: dict[int, Decimal] = {}
            for project_id, total in totals.items():
                if juror_stdev == 0 or session_stdev is None:
                    value = total - juror_mean + session_mean
                else:
                    value = session_mean + (total - juror_mean) * session_stdev / juror_stdev
                normalised[project_id] = _round2(value)
            result[juror_id] = normalised
    return result


def normalised_ranking(
    totals_by_juror: Mapping[int, Mapping[int, Decimal]],
    *,
    project_ids: Iterable[int] = (),
) -> list[tuple[int | None, int, Decimal | None]]:
    """Rank projects by the mean of their normalised totals (see :func:`normalised_totals`).

    Returns ``(rank, project_id, mean)`` rows ordered like :func:`ranking`:
    highest mean first, equal (rounded) means sharing a rank (1, 2, 2, 4),
    then the projects nobody scored with rank None and mean None. Those can
    only be known from ``project_ids`` (every project of the session); a
    project scored by some juror is ranked whether listed there or not.

    The mean is taken over the rounded normalised totals, as displayed, and
    rounded to 2 decimals. Conflicted jurors are left out by the caller.
    """
    per_project: dict[int, list[Decimal]] = {pk: [] for pk in project_ids}
    for totals in normalised_totals(totals_by_juror).values():
        for project_id, value in totals.items():
            per_project.setdefault(project_id, []).append(value)
    means: dict[int, Decimal | None] = {}
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        for project_id, values in per_project.items():
            means[project_id] = _round2(statistics.mean(values)) if values else None
    return [(rank, pk, means[pk]) for rank, pk in _rank(means.items())]
