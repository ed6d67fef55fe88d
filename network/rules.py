"""Who may do what in the network: its members, the coordination, and the public."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_coordinator, is_member_of, is_officer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from network.models import NetworkMember, Registration

__all__ = [
    "edits_member",
    "is_coordinator",
    "is_network_insider",
    "is_officer",
    "owns_registration",
    "registration_attended",
]


@rules.predicate
def is_network_insider(user: User | AnonymousUser) -> bool:
    """A signed-in member of the network: a member association's people, a chef de projet,
    the coordination. They read what members share « with the network's members »."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_coordinator or user.officer_contract_id:
        return True
    return user.memberships.filter(association__network_member__is_active=True).exists()


@rules.predicate
def edits_member(user: User | AnonymousUser, member: NetworkMember | None) -> bool:
    """A member of the association whose network profile this is."""
    return bool(
        member is not None and member.association_id and is_member_of(user, member.association)
    )


@rules.predicate
def owns_registration(user: User | AnonymousUser, registration: Registration | None) -> bool:
    return bool(
        registration is not None
        and user.is_authenticated
        and registration.user_id is not None
        and registration.user_id == user.pk
    )


@rules.predicate
def registration_attended(user: User | AnonymousUser, registration: Registration | None) -> bool:
    """The person came: their attendance was noted at the door."""
    return bool(registration is not None and registration.has_attended)


# The directory: public; what members share with the network needs is_network_insider.
rules.add_perm("network.view_shared_contacts", is_network_insider)
# An association edits its own profile; the coordination edits every profile and adds actors.
rules.add_perm("network.change_member", is_coordinator | edits_member)
rules.add_perm("network.manage_members", is_coordinator)
# The meeting: prepared, published and run by the coordination.
rules.add_perm("network.manage_meetings", is_coordinator)
# Registrations (names, needs, attendance): the coordination only, and each person their own.
rules.add_perm("network.view_registrations", is_coordinator)
rules.add_perm("network.view_registration", is_coordinator | owns_registration)
rules.add_perm("network.check_in", is_coordinator)
# The attendance certificate: whoever holds the registration's signed link, once present.
rules.add_perm("network.download_certificate", registration_attended)
