"""Who may do what with the laureates: the coordination, and the laureate's association."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_coordinator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from laureates.models import Laureate

__all__ = ["is_coordinator", "is_laureate_member"]


@rules.predicate
def is_laureate_member(user: User | AnonymousUser, laureate: Laureate) -> bool:
    """A member of the association that carries this laureate project."""
    return bool(
        user.is_authenticated
        and user.is_active
        and laureate.association_id
        and user.memberships.filter(association_id=laureate.association_id).exists()
    )
