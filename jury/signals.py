"""The jury follows the submissions stage; signals carry that reverse direction."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from submissions.models import Edition


@receiver(post_save, sender=Edition, dispatch_uid="jury_grid_for_new_edition")
def grid_for_new_edition(sender, instance, created, raw=False, **kwargs):
    """A new edition starts with the previous edition's grid (or the default one)."""
    if created and not raw:
        from jury.services import criteria_copy_for

        transaction.on_commit(lambda: criteria_copy_for(instance))
