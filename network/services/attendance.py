"""The check-in at the door (minimal: the "attendance" engineer's module replaces it)."""

from django.db import transaction

from accounts.models import User
from core.workflow import transition
from network.models import Registration
from network.workflows import REGISTRATION


@transaction.atomic
def check_in(*, registration: Registration, actor: User) -> Registration:
    """Note the presence of a person with a seat."""
    return transition(REGISTRATION, registration, "attend", actor=actor)
