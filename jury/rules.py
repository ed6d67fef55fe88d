"""Who may do what with a jury session (declared by views, asked again by services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_coordinator, is_juror, is_member_of
from core.queries import row_or_none
from jury import workflows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from jury.models import JuryMember, JurySession


@rules.predicate
def presides(user: User | AnonymousUser, session: JurySession | None) -> bool:
    return bool(session is not None and user.is_authenticated and session.president_id == user.pk)


@rules.predicate
def is_closed(user, session):
    return session is not None and session.is_closed


@rules.predicate
def may_deliberate(user, session):
    return session is not None and workflows.may_deliberate(user, session)


def seat(user: User | AnonymousUser, session: JurySession | None) -> JuryMember | None:
    """The person's seat in the session (None: they do not sit on it), read once per session.

    A juror's page asks it several times (its permission, a link's permission, the
    view): the session object the request fetched keeps the answer.
    """
    if session is None or not user.is_authenticated:
        return None
    seats = session.__dict__.setdefault(SEATS_READ, {})
    if user.pk not in seats:
        seats[user.pk] = row_or_none(session.members.select_related("user").filter(user_id=user.pk))
    return seats[user.pk]


# Where a session object keeps the seats already read (by ``seat`` or with the session).
SEATS_READ = "_seats_read"


@rules.predicate
def sits_on(user, session):
    """A juror seated in this session."""
    return seat(user, session) is not None


@rules.predicate
def speaks_for(user, audition):
    """A member of the association heard in this audition."""
    return audition is not None and is_member_of(user, audition.project.association)


# Coordinators prepare the grids, the sessions, the jurors and the running order.
rules.add_perm("jury.prepare", is_coordinator)
rules.add_perm("jury.view_sessions", is_coordinator | is_juror)
rules.add_perm("jury.view_session", is_coordinator | sits_on)
# Declarations, dossiers and scores: the jurors of the session.
rules.add_perm("jury.evaluate", sits_on)
# The president and the coordination lead the deliberation: the session workflow's rule.
rules.add_perm("jury.deliberate", may_deliberate)
# The president signs the minutes of the closed session; before, they would show him the
# figures of projects he has not scored yet (the blind rule), so they wait for the closing.
rules.add_perm("jury.download_minutes", is_coordinator | (presides & is_closed))
# Named scores, juror by juror: the coordination only.
rules.add_perm("jury.export_scores", is_coordinator)
rules.add_perm("jury.publish_results", is_coordinator)
rules.add_perm("jury.reply_to_audition", speaks_for)
