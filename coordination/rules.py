"""Who may use the coordination's tools: the dashboard, the exports and the audit trail.

Each part of the coordination declares its permissions in its own section.
"""

import rules

from accounts.rules import is_coordinator

# --- audit ---------------------------------------------------------------------------------
# The audit trail names everyone and everything: the coordination alone reads it.
rules.add_perm("coordination.view_audit", is_coordinator)
