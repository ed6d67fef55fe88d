"""Who may act on a project, read from its workflow (submissions.workflows)."""

import rules

from submissions.enums import Actor
from submissions.workflows import EDITABLE_STATES, PROJECT, actor_roles

__all__ = ["actor_roles", "can_transition"]


def can_transition(user, project, name: str) -> bool:
    """Whether this person may take this move from the project page now."""
    return PROJECT.allows(project, user, name)


@rules.predicate
def is_project_member(user, project):
    return Actor.MEMBER in actor_roles(user, project)


@rules.predicate
def is_project_coach(user, project):
    return bool({Actor.OFFICER, Actor.COORDINATOR} & actor_roles(user, project))


@rules.predicate
def is_editable(user, project):
    return project.state in EDITABLE_STATES


rules.add_perm("submissions.change_project", is_project_member & is_editable)
rules.add_perm("submissions.coach_project", is_project_coach)
rules.add_perm("submissions.write_message", is_project_member | is_project_coach)
