"""Signals of the laureates stage.

``public_content_changed`` is sent after the commit whenever something the
public reads changes: a showcase or a card published or withdrawn, a public
card or a published showcase's settings edited. Whoever keeps a copy of the
public pages (the cache of /laureats/, the open data, the sitemap) connects
to it and forgets that copy::

    @receiver(public_content_changed)
    def forget_public_pages(sender, *, years, **kwargs): ...

``sender`` is the model whose row changed (``Showcase`` or ``Laureate``);
``years`` the editions concerned.
"""

from django.dispatch import Signal

public_content_changed = Signal()
