"""Queries that run on every request of a page, compiled to SQL once per process.

Building a queryset and compiling it costs the ORM about a millisecond when
the query has subqueries, several times what PostgreSQL takes to answer it.
A query asked on every request with only its ids changing (the signed-in
person, the object of a page) is compiled once; each request runs its SQL
with its own ids in place:

    PERSON = CompiledQuery(lambda pk: User.objects.annotate(...).filter(pk=pk))
    found = PERSON.rows(pk=user_id)

What shapes the query (a role that adds a condition) is not an argument: it
names another compiled query (``functools.cache`` on the shape).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet

# Stand for the arguments in the compiled SQL: no real id is negative, nor this far down.
FIRST_MARKER = -424242


class CompiledQuery:
    """The SQL of ``build(**arguments)``, compiled once, run with each call's values."""

    def __init__(self, build: Callable[..., QuerySet[Any]]):
        names = list(inspect.signature(build).parameters)
        markers = {name: FIRST_MARKER - index for index, name in enumerate(names)}
        queryset = build(**markers)
        self.model: type[Model] = queryset.model
        self.sql, params = queryset.query.sql_with_params()
        by_marker = {marker: name for name, marker in markers.items()}
        # For each parameter, the argument it stands for, or None for a value of the query.
        self._slots: list[tuple[str | None, object]] = [
            (by_marker.get(value) if isinstance(value, int) else None, value) for value in params
        ]

    def params(self, **values: object) -> list[object]:
        """The parameters of the SQL with these values in place of the arguments."""
        return [value if name is None else values[name] for name, value in self._slots]

    def rows(self, **values: object) -> list[Any]:
        """The model instances the query finds with these values (its annotations set)."""
        return list(self.model._default_manager.raw(self.sql, self.params(**values)))
