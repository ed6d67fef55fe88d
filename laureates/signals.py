"""Signals of the laureates stage, for the apps and caches that depend on its public face."""

from django.dispatch import Signal

# Something the public sees changed (a card or a showcase published, withdrawn, edited):
# sent by the publication services; the public page cache starts afresh on it.
public_content_changed = Signal()
