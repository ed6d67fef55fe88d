"""core.ordering.move: one item up or down a list ordered by a position field."""

import pytest

from core import ordering
from jury.models import Criterion
from tests.jury.factories import CriterionFactory
from tests.submissions.factories import EditionFactory

pytestmark = pytest.mark.django_db


def _grid(positions):
    edition = EditionFactory()
    items = [
        CriterionFactory(edition=edition, label=label, position=position)
        for label, position in positions
    ]
    return edition, items


def _labels(edition):
    return list(
        Criterion.objects.filter(edition=edition)
        .order_by("position", "pk")
        .values_list("label", "position")
    )


@pytest.mark.parametrize(
    ("moved", "offset", "expected"),
    [
        ("b", -1, [("b", 0), ("a", 1), ("c", 2)]),
        ("b", 1, [("a", 0), ("c", 1), ("b", 2)]),
        # Past either end: the order stays.
        ("a", -1, [("a", 0), ("b", 1), ("c", 2)]),
        ("c", 1, [("a", 0), ("b", 1), ("c", 2)]),
    ],
)
def test_move_swaps_with_the_neighbour(moved, offset, expected):
    edition, items = _grid([("a", 0), ("b", 1), ("c", 2)])
    item = next(i for i in items if i.label == moved)

    ordering.move(edition.criteria.all(), item, offset)

    assert _labels(edition) == expected


def test_move_renumbers_gaps_and_ties_densely():
    # A deleted line leaves a gap; two lines created at once share a position.
    edition, items = _grid([("a", 3), ("b", 7), ("c", 7), ("d", 12)])

    result = ordering.move(edition.criteria.all(), items[3], -1)

    assert [item.label for item in result] == ["a", "b", "d", "c"]
    assert _labels(edition) == [("a", 0), ("b", 1), ("d", 2), ("c", 3)]


def test_move_stays_within_its_list():
    edition, _items = _grid([("a", 0), ("b", 1)])
    _other, (stranger,) = _grid([("z", 0)])

    with pytest.raises(ValueError):
        ordering.move(edition.criteria.all(), stranger, -1)
    assert _labels(edition) == [("a", 0), ("b", 1)]
