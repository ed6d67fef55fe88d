"""Writes about an edition: its dates and budget, and its lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.permissions import allowed
from core.workflow import transition
from submissions.models import Edition
from submissions.workflows import EDITION


@transaction.atomic
def edition_save(*, edition: Edition, actor: User) -> Edition:
    """Create or change an edition; at most one is open for deposit."""
    if not allowed(actor, "submissions.manage_editions"):
        raise ValidationError("Seule la coordination gère les éditions.")
    if (
        edition.jury_starts_on
        and edition.jury_ends_on
        and edition.jury_ends_on < edition.jury_starts_on
    ):
        raise ValidationError({"jury_ends_on": "La fin du jury précède son début."})
    if edition.deposit_deadline and edition.deposit_deadline.date() < edition.opens_on:
        raise ValidationError({"deposit_deadline": "La date limite de dépôt précède l'ouverture."})
    edition.full_clean()
    edition.save()
    return edition


def edition_transition(*, edition: Edition, actor: User, name: str, reason: str = "") -> Edition:
    """Open, close, reopen or archive an edition; at most one is open for deposit."""
    return transition(EDITION, edition, name, actor=actor, reason=reason)


def edition_transition_check(*, edition: Edition, actor: User, name: str) -> None:
    """Raise TransitionRefused, saying why, when this move is not allowed now."""
    EDITION.check(edition, actor, name)
