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


# --- Suivi: the follow-up of a funded project ---------------------------------------------

# The association reads its follow-up, updates its milestones and writes its reports;
# the coordination reads every one and alone edits the agreement (tranches, milestones,
# report dates), accepts or sends back the reports and marks the project « Réalisé ».
rules.add_perm("laureates.view_followup", is_coordinator | is_laureate_member)
rules.add_perm("laureates.update_milestone", is_coordinator | is_laureate_member)
rules.add_perm("laureates.write_report", is_laureate_member)
rules.add_perm("laureates.manage_followup", is_coordinator)
rules.add_perm("laureates.view_followup_overview", is_coordinator)
