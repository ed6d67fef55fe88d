"""Accent-blind search that an index serves: ``immutable_unaccent``.

PostgreSQL's ``unaccent()`` is only STABLE (its dictionary could change), so
no index may hold it. Migration ``core.0005`` wraps it in
``public.immutable_unaccent(text)``, IMMUTABLE with its dictionary named, and
the trigram indexes (``gin_trgm_ops``) are built on that expression. A query
uses an index only if it writes the very same expression: this Func, never
Django's ``__unaccent``.

    Project.objects.filter(title__immutable_unaccent__icontains="ecole")
    indexes = [search.contains_index("title", name="project_title_trgm")]

``icontains`` reads ``UPPER(immutable_unaccent(col)) LIKE …``: its index holds
``Upper(ImmutableUnaccent(col))``. The trigram similarity operators (``%>``)
need no ``Upper``: pg_trgm ignores case.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import CharField, TextField, Transform
from django.db.models.functions import Upper


class ImmutableUnaccent(Transform):
    """``public.immutable_unaccent(expr)``: the text without its accents, indexable."""

    lookup_name = "immutable_unaccent"
    function = "public.immutable_unaccent"
    output_field = TextField()
    # Both sides of a lookup lose their accents: « ecole » finds « École ».
    bilateral = True


def register() -> None:
    """Offer ``__immutable_unaccent`` on every text column."""
    CharField.register_lookup(ImmutableUnaccent)
    TextField.register_lookup(ImmutableUnaccent)


def contains_index(field: str, *, name: str) -> GinIndex:
    """The trigram index that ``<field>__immutable_unaccent__icontains`` uses."""
    return GinIndex(OpClass(Upper(ImmutableUnaccent(field)), name="gin_trgm_ops"), name=name)
