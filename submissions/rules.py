"""Who may act on a project, read from the transition table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from submissions.enums import EDITABLE_STATES, PUBLICATION_TRANSITIONS, TRANSITIONS, Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from submissions.models import Project


def actor_roles(user: User | AnonymousUser, project: Project) -> set[str]:
    """Return the roles in which a person stands towards a project."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles: set[str] = set()
    if user.is_coordinator:
        roles.add(Actor.COORDINATOR)
    if project.city_contract_id and user.officer_contract_id == project.city_contract_id:
        roles.add(Actor.OFFICER)
    if project.association.memberships.filter(user=user).exists():
        roles.add(Actor.MEMBER)
    return roles


def can_transition(user: User | AnonymousUser, project: Project, name: str) -> bool:
    transition = TRANSITIONS[name]
    if name in PUBLICATION_TRANSITIONS:
        return False
    return project.state in transition.sources and bool(
        actor_roles(user, project) & transition.actors
    )


@rules.predicate
def is_project_member(user: User | AnonymousUser, project: Project) -> bool:
    return Actor.MEMBER in actor_roles(user, project)


@rules.predicate
def is_project_coach(user: User | AnonymousUser, project: Project) -> bool:
    return bool({Actor.OFFICER, Actor.COORDINATOR} & actor_roles(user, project))


@rules.predicate
def is_editable(user: User | AnonymousUser, project: Project) -> bool:
    return project.state in EDITABLE_STATES


rules.add_perm("submissions.change_project", is_project_member & is_editable)
rules.add_perm("submissions.coach_project", is_project_coach)
rules.add_perm("submissions.write_message", is_project_member | is_project_coach)
