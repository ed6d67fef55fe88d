"""core.queries.row_or_none: the row a key finds, read without ordering."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.queries import row_or_none
from jury.models import Criterion
from tests.jury.factories import CriterionFactory

pytestmark = pytest.mark.django_db


def test_row_or_none_returns_the_row_a_key_finds():
    criterion = CriterionFactory(label="Innovation")
    CriterionFactory(edition=criterion.edition, label="Impact")

    found = row_or_none(Criterion.objects.filter(pk=criterion.pk))

    assert (found.pk, found.label) == (criterion.pk, "Innovation")


def test_row_or_none_is_none_when_the_key_finds_nothing():
    criterion = CriterionFactory()

    assert row_or_none(Criterion.objects.filter(pk=criterion.pk + 1000)) is None


def test_row_or_none_reads_one_row_without_ordering_it():
    criterion = CriterionFactory()

    with CaptureQueriesContext(connection) as queries:
        row_or_none(Criterion.objects.order_by("position").filter(pk=criterion.pk))

    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "ORDER BY" not in sql
    assert sql.endswith("LIMIT 1")
