"""Who may do what with personal data (declared by views, asked again by services)."""

import rules

from accounts.rules import signed_in

# --- privacy ---


@rules.predicate
def holds_an_account(user) -> bool:
    """Every signed-in person reads what the portal holds about them and may erase it."""
    return signed_in(user)


rules.add_perm("privacy.view_own_data", holds_an_account)
rules.add_perm("privacy.erase_own_account", holds_an_account)
