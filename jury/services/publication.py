"""Publishing an edition's results: the closed sessions' proposals applied to the projects."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.workflow import record
from jury.enums import Decision
from jury.models import Proposal
from jury.services._common import JuryRefused, _require_coordinator
from submissions import services as submission_services
from submissions.enums import ProjectState
from submissions.models import Edition
from submissions.workflows import EDITION


def _require_publishable(edition: Edition, actor: User) -> None:
    _require_coordinator(actor)
    if edition.results_published_at:
        raise JuryRefused("Les résultats de cette édition sont déjà publiés.")
    sessions = list(edition.jury_sessions.all())
    if not sessions:
        raise JuryRefused("Cette édition n'a pas de séance de jury.")
    if not all(session.is_closed for session in sessions):
        raise JuryRefused("Toutes les séances doivent être closes avant la publication.")


def results_publish_check(*, edition: Edition, actor: User) -> None:
    """Raise JuryRefused when the results cannot be published now (before asking to confirm)."""
    _require_publishable(edition, actor)


@transaction.atomic
def results_publish(*, edition: Edition, actor: User) -> int:
    """Apply the closed sessions' proposals; return how many associations were told."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_publishable(locked, actor)
    # A project withdrawn after the jury keeps its state; the others get the outcome.
    proposals = Proposal.objects.filter(
        session__edition=locked, project__state=ProjectState.SHORTLISTED
    ).select_related("project")
    for proposal in proposals:
        submission_services.project_transition(
            project=proposal.project,
            actor=actor,
            name="award" if proposal.decision == Decision.LAUREATE else "not_select",
            comment=proposal.justification,
            publication=True,
        )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    record(
        EDITION,
        locked,
        "publish_results",
        actor=actor,
        changes={"projets": [None, len(proposals)]},
    )
    return len({proposal.project.association_id for proposal in proposals})
