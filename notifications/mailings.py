"""The mass mailings a coordinator can prepare from the outbox, declared by the apps.

The outbox belongs to this app, but what a mailing says belongs to a later
stage (a reminder to the associations whose project is not deposited…): each
app registers its compositions in its ``AppConfig.ready`` (like the
scheduler's jobs), and the outbox offers them as buttons.
"""

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from accounts.models import User
from notifications.models import Mailing

# compose(actor=…, submission_key=…) writes the draft (notifications.services.mailing_compose).
Compose = Callable[..., Mailing]


@dataclass(frozen=True)
class Composition:
    key: str
    label: str
    description: str
    compose: Compose


_registry: dict[str, Composition] = {}


def register(key: str, label: str, description: str, compose: Compose) -> Composition:
    """Offer a mailing in the outbox (a second registration under the same key replaces it)."""
    composition = Composition(key=key, label=label, description=description, compose=compose)
    _registry[key] = composition
    return composition


def compositions() -> list[Composition]:
    return list(_registry.values())


def composition(key: str) -> Composition | None:
    return _registry.get(key)


def compose(key: str, *, actor: User, submission_key: UUID | None = None) -> Mailing | None:
    """Write the draft of the registered mailing ``key``; None for an unknown key."""
    found = composition(key)
    if found is None:
        return None
    return found.compose(actor=actor, submission_key=submission_key)
