"""The benchmark's generated dataset has the shape the issue asks for, at any scale."""

import pytest

from accounts.territory import load_territory
from bench.data import generate
from jury.models import Audition, Evaluation
from laureates.models import Laureate
from network.models import Registration
from submissions.enums import ProjectState
from submissions.models import Edition, Project


@pytest.fixture
def generated(db):
    load_territory()
    generate(scale=0.01)


def test_a_hundredth_has_the_full_dataset_shape(generated):
    assert Project.objects.count() == 99  # 100 spread evenly over 9 editions
    assert list(Edition.objects.values_list("year", flat=True).order_by("year")) == list(
        range(2018, 2027)
    )
    assert Laureate.objects.filter(is_public=True).count() == 16  # 20 over 8 past editions
    assert Audition.objects.filter(session__edition__year=2026).count() == 2
    # Every juror of a session evaluates every heard project.
    assert Evaluation.objects.count() == 28 * Audition.objects.count()
    assert Registration.objects.count() == 10
    assert Project.objects.filter(state=ProjectState.LAUREATE).count() == Laureate.objects.count()


def test_it_refuses_a_database_that_is_not_empty(generated):
    with pytest.raises(RuntimeError, match="pas vide"):
        generate(scale=0.01)
