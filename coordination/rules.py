"""Who may use the coordination tools. Each part of the tools has its section."""

import rules

from accounts.rules import is_coordinator, is_officer

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
