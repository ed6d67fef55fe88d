"""Who may do what: the roles, and the permissions on people, associations and territory.

Views declare these permissions (``core.permissions``); services ask the same
ones, so a rule is written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import Association, User


def signed_in(user) -> bool:
    """A person signed in with an active account: every role needs it."""
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_coordinator(user):
    return bool(signed_in(user) and user.is_coordinator)


@rules.predicate
def is_officer(user):
    """A chef de projet, of whichever contrat de ville."""
    return bool(signed_in(user) and user.officer_contract_id)


@rules.predicate
def is_juror(user):
    return bool(signed_in(user) and user.is_juror)


@rules.predicate
def is_association_member(user):
    """A member of at least one association."""
    return bool(signed_in(user) and user.memberships.exists())


def officer_of(user, contract_id) -> bool:
    """Whether the person is the chef de projet of the contrat de ville ``contract_id``."""
    return bool(signed_in(user) and contract_id and user.officer_contract_id == contract_id)


@rules.predicate
def is_member_of(user: User | AnonymousUser, association: Association | None) -> bool:
    if association is None or not user.is_authenticated:
        return False
    return association.memberships.filter(user=user).exists()


@rules.predicate
def is_officer_of_territory(user, association):
    """The chef de projet of the contrat de ville the association's commune belongs to."""
    return association is not None and officer_of(user, association.commune.city_contract_id)


rules.add_perm("accounts.view_association", is_member_of | is_officer_of_territory | is_coordinator)
rules.add_perm("accounts.change_association", is_member_of | is_coordinator)
rules.add_perm("accounts.invite_to_association", is_member_of | is_coordinator)
# The coordination keeps every contrat de ville's contact up to date (not the chef de projet).
rules.add_perm("accounts.change_citycontract_contact", is_coordinator)
