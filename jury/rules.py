"""Who may do what with a jury session (read by views through ``has_perm``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_coordinator
from jury.enums import SessionState

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from jury.models import JurySession


@rules.predicate
def presides(user: User | AnonymousUser, session: JurySession | None) -> bool:
    return bool(session is not None and user.is_authenticated and session.president_id == user.pk)


@rules.predicate
def is_closed(user: User | AnonymousUser, session: JurySession | None) -> bool:
    return session is not None and session.state == SessionState.CLOSED


# The president and the coordination lead the deliberation.
rules.add_perm("jury.deliberate", is_coordinator | presides)
# The president signs the minutes of the closed session; before, they would show him the
# figures of projects he has not scored yet (the blind rule), so they wait for the closing.
rules.add_perm("jury.download_minutes", is_coordinator | (presides & is_closed))
# Named scores, juror by juror: the coordination only.
rules.add_perm("jury.export_scores", is_coordinator)
