"""Who may use the coordination's tools (declared by the views, asked again by the services)."""

from __future__ import annotations

import rules

from accounts.rules import is_coordinator, is_officer, officer_of

# --- dashboard ---


@rules.predicate
def is_officer_of_contract(user, contract) -> bool:
    """The chef de projet of this contrat de ville."""
    return contract is not None and officer_of(user, contract.pk)


# The dashboard: the coordination sees the whole territory, a chef de projet his contrat de ville.
rules.add_perm("coordination.view_dashboard", is_coordinator | is_officer)
rules.add_perm("coordination.view_territory_dashboard", is_coordinator)
rules.add_perm("coordination.view_contract_dashboard", is_coordinator | is_officer_of_contract)
