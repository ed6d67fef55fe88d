"""What every jury service shares: the refusal, and the rules several of them check."""

from accounts.models import User
from core.permissions import allowed
from jury.models import JurySession
from jury.workflows import JuryRefused

# The version an evaluation form carries when no evaluation is saved yet.
NO_EVALUATION_YET = 0


def _require_coordinator(actor: User) -> None:
    if not allowed(actor, "jury.prepare"):
        raise JuryRefused("Seule la coordination prépare le jury.")


def _require_session_not_closed(session: JurySession) -> None:
    if session.is_closed:
        raise JuryRefused("Cette séance est close.")
