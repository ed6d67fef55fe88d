"""Who may do what with the laureates: the coordination, and the laureate's association."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_association_member, is_coordinator
from laureates.enums import CERTIFIED_PROJECT_STATES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from laureates.models import Laureate

__all__ = ["certificate_issued", "is_coordinator", "is_laureate_member"]


@rules.predicate
def is_laureate_member(user: User | AnonymousUser, laureate: Laureate) -> bool:
    """A member of the association that carries this laureate project."""
    return bool(
        user.is_authenticated
        and user.is_active
        and laureate.association_id
        and user.memberships.filter(association_id=laureate.association_id).exists()
    )


# The coordination prepares and publishes each edition's showcase.
rules.add_perm("laureates.manage_showcase", is_coordinator)
# The public card is written by the coordination with the laureate's association.
rules.add_perm("laureates.change_card", is_coordinator | is_laureate_member)
# The amount granted is the jury's and the coordination's figure, not the association's.
rules.add_perm("laureates.set_card_amount", is_coordinator)


@rules.predicate
def certificate_issued(user, laureate: Laureate | None) -> bool:
    """The label is won: the results are published, or the laureate comes from the archives."""
    if laureate is None:
        return False
    project = laureate.project
    return project is None or project.state in CERTIFIED_PROJECT_STATES


# The laureates' space: the association's members, and the coordination for every laureate.
rules.add_perm("laureates.view_laureates", is_coordinator | is_association_member)
rules.add_perm("laureates.view_laureate", is_laureate_member | is_coordinator)
# The certificate and the badge kit, once the label is won.
rules.add_perm("laureates.use_label", (is_laureate_member | is_coordinator) & certificate_issued)
# --- Suivi: the follow-up of a funded project ---------------------------------------------

# The association reads its follow-up, updates its milestones and writes its reports;
# the coordination reads every one and alone edits the agreement (tranches, milestones,
# report dates), accepts or sends back the reports and marks the project « Réalisé ».
rules.add_perm("laureates.view_followup", is_coordinator | is_laureate_member)
rules.add_perm("laureates.update_milestone", is_coordinator | is_laureate_member)
rules.add_perm("laureates.write_report", is_laureate_member)
rules.add_perm("laureates.manage_followup", is_coordinator)
rules.add_perm("laureates.view_followup_overview", is_coordinator)
