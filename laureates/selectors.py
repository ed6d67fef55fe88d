"""What each person may read of the laureates stage: every view reads through these."""

from django.db.models import QuerySet

from laureates.models import Laureate


def public_laureates() -> QuerySet[Laureate]:
    """The cards the public sees: published, in a published showcase."""
    return Laureate.objects.filter(is_public=True)
