"""Reading one row."""

from typing import Any

from django.db.models import QuerySet


def row_or_none[R](queryset: QuerySet[Any, R]) -> R | None:
    """The row a lookup by a key finds, or None, read without ordering.

    ``first()`` orders an unordered queryset by its primary key: for the one row a key
    finds, that ordering changes nothing, but compiling it costs (0.6 ms for a seat
    read with its session, a third of that query). Where several rows may match, any
    one of them: use ``first()`` with an ordering there.
    """
    return next(iter(queryset.order_by()[:1]), None)
