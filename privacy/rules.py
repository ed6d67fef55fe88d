"""Who may exercise which right on personal data. Each part has its section."""

import rules

from accounts.rules import signed_in

# --- export -------------------------------------------------------------------------------


@rules.predicate
def is_signed_in(user) -> bool:
    return signed_in(user)


@rules.predicate
def owns_data_export(user, background_file) -> bool:
    """A person's data export is theirs alone."""
    return bool(
        signed_in(user) and background_file is not None and background_file.owner_id == user.pk
    )


rules.add_perm("privacy.export_own_data", is_signed_in)
rules.add_perm("privacy.download_data_export", owns_data_export)
