"""Who may exercise which right on personal data (declared by views, asked again by services)."""

import rules

from accounts.rules import signed_in

# --- privacy ---


@rules.predicate
def holds_an_account(user) -> bool:
    """Every signed-in person reads what the portal holds about them and may erase it."""
    return signed_in(user)


rules.add_perm("privacy.view_own_data", holds_an_account)
rules.add_perm("privacy.erase_own_account", holds_an_account)

# --- export -------------------------------------------------------------------------------


@rules.predicate
def owns_data_export(user, background_file) -> bool:
    """A person's data export is theirs alone."""
    return bool(
        signed_in(user) and background_file is not None and background_file.owner_id == user.pk
    )


rules.add_perm("privacy.export_own_data", holds_an_account)
rules.add_perm("privacy.download_data_export", owns_data_export)
