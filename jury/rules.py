"""Who may do what with a jury session (read by views through ``has_perm``)."""

import rules

from accounts.rules import is_coordinator
from jury import workflows


@rules.predicate
def presides(user, session):
    return bool(session is not None and user.is_authenticated and session.president_id == user.pk)


@rules.predicate
def is_closed(user, session):
    return session is not None and session.is_closed


@rules.predicate
def may_deliberate(user, session):
    return session is not None and workflows.may_deliberate(user, session)


# The president and the coordination lead the deliberation: the session workflow's rule.
rules.add_perm("jury.deliberate", may_deliberate)
# The president signs the minutes of the closed session; before, they would show him the
# figures of projects he has not scored yet (the blind rule), so they wait for the closing.
rules.add_perm("jury.download_minutes", is_coordinator | (presides & is_closed))
# Named scores, juror by juror: the coordination only.
rules.add_perm("jury.export_scores", is_coordinator)
