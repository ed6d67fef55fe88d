"""The one way to move an item up or down a list ordered by a position field.

The criteria of a scoring grid and the auditions of a running order are both
reordered by « Monter » / « Descendre » buttons: ``move()`` locks the rows,
swaps the item with its neighbour and renumbers the list densely (0, 1, 2…),
so that gaps and ties left by deletions disappear on the first move.
"""

from django.db import models, transaction


@transaction.atomic
def move(
    queryset: models.QuerySet, item: models.Model, offset: int, *, field: str = "position"
) -> list[models.Model]:
    """Move ``item`` by ``offset`` places (-1: up, +1: down) within ``queryset``.

    Moving past either end leaves the order as it is. Return the items in
    their new order.
    """
    ordered = list(queryset.select_for_update().order_by(field, "pk"))
    index = next((i for i, other in enumerate(ordered) if other.pk == item.pk), None)
    if index is None:
        raise ValueError(f"{item!r} is not in the list it should move in")
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):
        if getattr(other, field) != position:
            setattr(other, field, position)
            other.save(update_fields=[field])
    return ordered
