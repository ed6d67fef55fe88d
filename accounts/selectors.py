"""Reads that depend on who asks: every view fetches its objects here."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import (
    Association,
    CityContract,
    Commune,
    Invitation,
    Membership,
    Qpv,
    User,
)
from accounts.rules import is_coordinator, is_officer, signed_in


def associations_visible_to(user: User) -> QuerySet[Association]:
    """Return the associations a person may see: their own, their territory's, or all."""
    queryset = Association.objects.select_related("commune__city_contract")
    if not signed_in(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    condition = Q(memberships__user=user)
    if is_officer(user):
        condition |= Q(commune__city_contract_id=user.officer_contract_id)
    return queryset.filter(condition).distinct()


def associations_editable_by(user: User) -> QuerySet[Association]:
    """Return the associations whose profile a person may edit."""
    queryset = Association.objects.select_related("commune__city_contract")
    if not signed_in(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    return queryset.filter(memberships__user=user)


def associations_of_member(user: User) -> QuerySet[Association]:
    """Return a person's associations, each with its number of members.

    Filtered through a subquery: a filter on the memberships join would leave
    only the person's own membership to count ("1 membre" for two).
    """
    return (
        Association.objects.filter(
            pk__in=Membership.objects.filter(user=user).values("association_id")
        )
        .select_related("commune__city_contract")
        .prefetch_related("qpvs")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def association_members(association: Association) -> QuerySet[User]:
    return User.objects.filter(memberships__association=association).order_by(
        "last_name", "first_name"
    )


def pending_invitations(association: Association) -> QuerySet[Invitation]:
    return association.invitations.filter(accepted_at__isnull=True).select_related("invited_by")


def public_city_contracts() -> QuerySet[CityContract]:
    """Return the contrats de ville with their communes and QPVs, for the public page."""
    communes = Commune.objects.order_by("name").prefetch_related(
        Prefetch("qpvs", queryset=Qpv.objects.order_by("name"))
    )
    return CityContract.objects.prefetch_related(Prefetch("communes", queryset=communes))


def communes_without_contract() -> QuerySet[Commune]:
    """Return the communes with a QPV but no contrat de ville (coordinators' queue)."""
    return (
        Commune.objects.filter(city_contract__isnull=True, qpvs__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("qpvs", queryset=Qpv.objects.order_by("name")))
        .order_by("name")
    )


def city_contracts_editable_by(user: User) -> QuerySet[CityContract]:
    if not is_coordinator(user):
        return CityContract.objects.none()
    return CityContract.objects.all()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("association")
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )


def user_from_uidb64(uidb64: str) -> User | None:
    """The person a mailed link points at, or None for a broken link."""
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


def email_has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def coordination_counts() -> dict[str, int]:
    """The figures of the coordination's dashboard about people and territory."""
    return {
        "associations": Association.objects.count(),
        "people": User.objects.filter(is_active=True).count(),
        "communes_without_contract": communes_without_contract().count(),
    }


def member_emails(association: Association) -> list[str]:
    """The addresses of the association's active members, for its mails."""
    return list(
        User.objects.filter(memberships__association=association, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def communes_with_contract() -> QuerySet[Commune]:
    """Return the territory's communes with their contrat de ville (maps, public tables)."""
    return Commune.objects.select_related("city_contract").order_by("name")
