"""Queries compiled once, run with each call's values."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.models import Association
from core.compiled import CompiledQuery
from tests.factories import AssociationFactory, member_of

pytestmark = pytest.mark.django_db


def _associations_with_members():
    return CompiledQuery(
        lambda pk, minimum: (
            Association.objects.annotate(member_count=Count("memberships"))
            .filter(pk__gte=pk, member_count__gte=minimum)
            .order_by("pk")
        )
    )


def test_a_compiled_query_finds_what_its_queryset_finds_for_each_call_values():
    first, second, third = AssociationFactory.create_batch(3)
    member_of(second)
    member_of(third)
    member_of(third)
    query = _associations_with_members()

    def found(pk, minimum):
        return [(a.pk, a.name, a.member_count) for a in query.rows(pk=pk, minimum=minimum)]

    assert found(first.pk, 0) == [
        (first.pk, first.name, 0),
        (second.pk, second.name, 1),
        (third.pk, third.name, 2),
    ]
    assert found(second.pk, 2) == [(third.pk, third.name, 2)]
    assert found(third.pk + 1, 0) == []


def test_a_compiled_query_is_compiled_once_and_keeps_the_query_own_values():
    association = AssociationFactory(name="Vivre à Gagarine")
    query = CompiledQuery(
        lambda pk: Association.objects.filter(pk=pk, name="Vivre à Gagarine").only("name")
    )
    sql = query.sql

    with CaptureQueriesContext(connection) as queries:
        found = query.rows(pk=association.pk)
        assert found[0].name == "Vivre à Gagarine"
    query.rows(pk=association.pk + 1)

    assert query.sql == sql
    # The name is the query's own value: only the argument's marker is replaced.
    assert query.params(pk=7) == ["Vivre à Gagarine", 7]
    assert len(queries) == 1
