"""What each person may read of the laureates stage: every view reads through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from laureates.enums import CERTIFIED_PROJECT_STATES
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


# The label is won (see rules.certificate_issued): results published, or an archive laureate.
CERTIFIED = Q(project__isnull=True) | Q(project__state__in=CERTIFIED_PROJECT_STATES)


def laureates_of_member(user: User) -> QuerySet[Laureate]:
    """The laureates of the associations a person is a member of (coordinators included)."""
    if not (user.is_authenticated and user.is_active):
        return Laureate.objects.none()
    return Laureate.objects.filter(association__memberships__user=user).distinct()


def laureate_list_for(user: User) -> QuerySet[Laureate]:
    """The laureates' space list: what the person works on, with what each row shows."""
    return (
        laureates_visible_to(user)
        .select_related("edition", "project", "association")
        .annotate(certified=ExpressionWrapper(CERTIFIED, output_field=BooleanField()))
        .order_by("-year", "title", "pk")
    )


def laureate_years(queryset: QuerySet[Laureate]) -> list[int]:
    """The editions' years present in a list, newest first."""
    return list(queryset.order_by("-year").values_list("year", flat=True).distinct())


def laureate_for(user: User, pk: int) -> Laureate | None:
    """One laureate of the person's space, with what its hub page shows, or None."""
    return (
        laureates_visible_to(user)
        .select_related("edition", "project", "association", "commune")
        .filter(pk=pk)
        .first()
    )


def certificate_by_code(code: str) -> Laureate | None:
    """The laureate whose certificate carries this (normalised) code, once the label is won.

    Public on purpose: the certificate is issued from the results, before the
    showcase is published; the verification page shows only what it says.
    """
    return (
        Laureate.objects.filter(CERTIFIED, certificate_code=code)
        .select_related("edition", "project")
        .first()
    )
