"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, QuerySet

from accounts.models import Qpv
from laureates.enums import ShowcaseState
from laureates.models import Laureate, Showcase

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


def public_showcases() -> QuerySet[Showcase]:
    """The editions whose showcase the coordination has published, newest first."""
    return Showcase.objects.filter(state=ShowcaseState.PUBLISHED).select_related("edition")


def open_data_laureates(laureates: QuerySet[Laureate]) -> QuerySet[Laureate]:
    """The given public cards with what the open data files show of each (three queries)."""
    return (
        laureates.select_related("edition__showcase", "commune__city_contract")
        .prefetch_related(Prefetch("qpvs", queryset=Qpv.objects.order_by("name")))
        .order_by("-year", "title", "pk")
    )


def newest_public_laureates(limit: int) -> QuerySet[Laureate]:
    """The last published public cards, newest first (the Atom feed)."""
    return (
        public_laureates()
        .select_related("commune")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def laureate_counts_by_commune(laureates: QuerySet[Laureate]) -> dict[str, int]:
    """Map each commune's INSEE code to its number of cards among ``laureates``."""
    rows = (
        laureates.filter(commune__isnull=False)
        .order_by()
        .values("commune__insee")
        .annotate(count=Count("pk", distinct=True))
    )
    return {row["commune__insee"]: row["count"] for row in rows}
