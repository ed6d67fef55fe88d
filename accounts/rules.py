"""Who may do what, object by object (read by views through ``has_perm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import Association, User


@rules.predicate
def is_coordinator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


@rules.predicate
def is_officer(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.officer_contract_id)


@rules.predicate
def is_member_of(user: User | AnonymousUser, association: Association | None) -> bool:
    if association is None or not user.is_authenticated:
        return False
    return association.memberships.filter(user=user).exists()


rules.add_perm("accounts.change_association", is_member_of | is_coordinator)
rules.add_perm("accounts.invite_to_association", is_member_of | is_coordinator)
rules.add_perm("accounts.change_citycontract_contact", is_coordinator)
