"""Who may act on a project, read from the transition table."""

import rules

from accounts.rules import is_association_member, is_coordinator, is_officer, officer_of
from submissions.enums import EDITABLE_STATES, PUBLICATION_TRANSITIONS, TRANSITIONS, Actor


def actor_roles(user, project) -> set[str]:
    """Return the roles in which a person stands towards a project."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles = set()
    if is_coordinator(user):
        roles.add(Actor.COORDINATOR)
    if officer_of(user, project.city_contract_id):
        roles.add(Actor.OFFICER)
    if project.association.memberships.filter(user=user).exists():
        roles.add(Actor.MEMBER)
    return roles


def can_transition(user, project, name: str) -> bool:
    transition = TRANSITIONS[name]
    if name in PUBLICATION_TRANSITIONS:
        return False
    return project.state in transition.sources and bool(
        actor_roles(user, project) & transition.actors
    )


@rules.predicate
def is_project_member(user, project):
    return Actor.MEMBER in actor_roles(user, project)


@rules.predicate
def is_project_coach(user, project):
    return bool({Actor.OFFICER, Actor.COORDINATOR} & actor_roles(user, project))


@rules.predicate
def is_editable(user, project):
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
