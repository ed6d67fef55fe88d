"""A project's moves along its lifecycle (submissions.workflows.PROJECT)."""

from accounts.models import User
from core.workflow import TransitionRefused, transition
from submissions.models import Project
from submissions.workflows import PROJECT


def transition_check(
    *, project: Project, actor: User, name: str, publication: bool = False
) -> None:
    """Raise TransitionRefused, saying why, when the workflow does not allow this move now.

    Also used before showing the confirmation page of a final move, so that
    nobody is asked to confirm what would be refused.
    """
    PROJECT.check(project, actor, name, internal=publication)


def project_transition(
    *,
    project: Project,
    actor: User,
    name: str,
    comment: str = "",
    publication: bool = False,
) -> Project:
    """Move a project along its workflow, record it and tell those concerned.

    The jury's outcome (award, not_select) only moves through the publication
    of the results, which passes ``publication=True``.
    """
    return transition(
        PROJECT,
        project,
        name,
        actor=actor,
        reason=comment,
        internal=publication,
        lock=Project.objects.select_related("association", "commune__city_contract"),
    )


__all__ = ["TransitionRefused", "project_transition", "transition_check"]
