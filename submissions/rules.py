"""Who may act on a project, read from its workflow (submissions.workflows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_association_member, is_coordinator, is_officer
from submissions.enums import Actor
from submissions.workflows import EDITABLE_STATES, PROJECT, actor_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from submissions.models import Project

__all__ = ["actor_roles", "can_transition"]


def can_transition(user, project, name: str) -> bool:
    """Whether this person may take this move from the project page now."""
    return PROJECT.allows(project, user, name)


@rules.predicate
def is_project_member(user: User | AnonymousUser, project: Project) -> bool:
    return Actor.MEMBER in actor_roles(user, project)


@rules.predicate
def is_project_coach(user: User | AnonymousUser, project: Project) -> bool:
    return bool({Actor.OFFICER, Actor.COORDINATOR} & actor_roles(user, project))


@rules.predicate
def is_editable(user: User | AnonymousUser, project: Project) -> bool:
    return project.state in EDITABLE_STATES


@rules.predicate
def is_unassigned(user, project):
    """Outside any contrat de ville: in the coordinators' queue."""
    return project.city_contract_id is None


# Whoever stands in a role towards the project (the selector already limits who sees it).
rules.add_perm("submissions.view_project", is_project_member | is_project_coach)
rules.add_perm("submissions.change_project", is_project_member & is_editable)
# Deleting is for the association; the service says why a non-draft is refused.
rules.add_perm("submissions.delete_project", is_project_member)
rules.add_perm("submissions.coach_project", is_project_coach)
rules.add_perm("submissions.write_message", is_project_member | is_project_coach)
rules.add_perm("submissions.assign_project", is_coordinator & is_unassigned)
# Pages without an object.
rules.add_perm("submissions.add_project", is_association_member)
rules.add_perm("submissions.view_inbox", is_coordinator | is_officer)
rules.add_perm("submissions.manage_editions", is_coordinator)
