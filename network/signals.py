"""The network follows the laureates: a new laureate's association joins the network.

``laureates`` may not import ``network`` (imports flow one way): the network
listens to the laureates' saves instead (connected in ``NetworkConfig.ready``).
"""

from django.db import transaction


def laureate_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """After the commit, make a new laureate's association a member of the network."""
    if raw or not created:
        return
    from network.services.directory import sync_laureate_members

    transaction.on_commit(lambda: sync_laureate_members(laureates=[instance]), robust=True)
