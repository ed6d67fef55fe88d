"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Subquery, Sum

from laureates.enums import ShowcaseState
from laureates.models import Laureate, Showcase
from submissions.models import Project

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


def public_cards() -> QuerySet[Laureate]:
    """The public cards in the public order (newest edition first), with what a card shows.

    The order is the one of the partial index ``laureate_public_order``.
    """
    return (
        public_laureates()
        .select_related("commune", "edition__showcase")
        .order_by("-year", "title", "id")
    )


def latest_public_cards(limit: int) -> QuerySet[Laureate]:
    """A few cards of the newest edition that has public cards (the home page)."""
    newest = public_laureates().order_by("-year").values("year")[:1]
    return public_cards().filter(year=Subquery(newest))[:limit]


def public_showcase(year: int) -> Showcase | None:
    """The published showcase of the edition of ``year``, or None."""
    return (
        Showcase.objects.select_related("edition")
        .filter(edition__year=year, state=ShowcaseState.PUBLISHED)
        .first()
    )


def public_card(year: int, slug: str) -> Laureate | None:
    """One public card, with its quarters, or None."""
    return public_cards().prefetch_related("qpvs").filter(year=year, slug=slug).first()


def showcase_figures(showcase: Showcase) -> dict:
    """The figures of an edition's page: projects received, laureates, total granted."""
    totals = (
        public_laureates()
        .filter(edition=showcase.edition_id)
        .aggregate(laureates=Count("id"), granted=Sum("amount_granted"))
    )
    received = showcase.projects_received
    if received is None:
        received = Project.objects.filter(
            edition=showcase.edition_id, deposited_at__isnull=False
        ).count()
    return {
        "received": received,
        "laureates": totals["laureates"],
        "granted": totals["granted"] if showcase.show_amounts else None,
    }
