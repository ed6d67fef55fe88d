"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from laureates.models import Laureate

if TYPE_CHECKING:
    from accounts.models import User


def public_laureates() -> QuerySet[Laureate]:
    """The cards the public sees: published, in a published showcase."""
    return Laureate.objects.filter(is_public=True)


def laureates_visible_to(user: User) -> QuerySet[Laureate]:
    """The laureates a signed-in person works on: all for the coordination, else their own."""
    if not (user.is_authenticated and user.is_active):
        return Laureate.objects.none()
    if user.is_coordinator:
        return Laureate.objects.all()
    return Laureate.objects.filter(association__memberships__user=user).distinct()
