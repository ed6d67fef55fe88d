"""Who may use the coordination tools. Each part of the tools has its section."""

from __future__ import annotations

import rules

from accounts.rules import is_coordinator, is_officer, officer_of

# --- exports ------------------------------------------------------------------------------


@rules.predicate
def owns_file(user, background_file) -> bool:
    """A file built in the background is its owner's only."""
    return bool(background_file is not None and background_file.owner_id == user.pk)


# Projects and coaching notes: the coordination, and a chef de projet for his territory.
rules.add_perm("coordination.export_data", is_coordinator | is_officer)
# The jury's results: the coordination only.
rules.add_perm("coordination.export_results", is_coordinator)
rules.add_perm("coordination.download_export", (is_coordinator | is_officer) & owns_file)


# --- dashboard ---


@rules.predicate
def is_officer_of_contract(user, contract) -> bool:
    """The chef de projet of this contrat de ville."""
    return contract is not None and officer_of(user, contract.pk)


# The dashboard: the coordination sees the whole territory, a chef de projet his contrat de ville.
rules.add_perm("coordination.view_dashboard", is_coordinator | is_officer)
rules.add_perm("coordination.view_territory_dashboard", is_coordinator)
rules.add_perm("coordination.view_contract_dashboard", is_coordinator | is_officer_of_contract)


# --- audit ---------------------------------------------------------------------------------
# The audit trail names everyone and everything: the coordination alone reads it.
rules.add_perm("coordination.view_audit", is_coordinator)
