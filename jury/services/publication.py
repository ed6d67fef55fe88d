"""Publishing an edition's results: the closed sessions' proposals applied to the projects."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import association_members
from core.formats import euros
from core.links import absolute_url
from core.workflow import record
from jury.enums import Decision
from jury.models import Proposal
from jury.services._common import JuryRefused, _require_coordinator
from notifications.models import Mailing
from notifications.services import Recipient, mailing_compose
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
    """Apply the closed sessions' proposals and prepare the results mailing (a draft of the
    outbox, notifications:mailing); return how many associations it will tell."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_publishable(locked, actor)
    # A project withdrawn after the jury keeps its state; the others get the outcome.
    proposals = list(
        Proposal.objects.filter(
            session__edition=locked, project__state=ProjectState.SHORTLISTED
        ).select_related("project__association")
    )
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
    results_mailing_compose(edition=locked, proposals=proposals, actor=actor)
    return len({proposal.project.association_id for proposal in proposals})


def results_mailing_compose(*, edition: Edition, proposals: list[Proposal], actor: User) -> Mailing:
    """The announcement of the results to each association, as a draft of the outbox.

    The coordination reads it, then sends it (notifications:mailing): one mail
    per member of each association, about each of its projects.
    """
    recipients = []
    for proposal in proposals:
        project = proposal.project
        laureate = proposal.decision == Decision.LAUREATE
        context = {
            "edition": edition,
            "project": project,
            "laureate": laureate,
            "amount": euros(proposal.amount) if laureate and proposal.amount else "",
            "feedback_url": absolute_url(reverse("jury:feedback", args=[project.pk])),
            "project_url": absolute_url(project),
        }
        recipients += [
            Recipient(
                user=member, context=context, link=reverse("jury:feedback", args=[project.pk])
            )
            for member in association_members(project.association)
        ]
    return mailing_compose(
        kind="results",
        title=f"Résultats de l'édition {edition.year}",
        description=(
            "L'annonce des résultats à chaque association dont un projet est passé devant le "
            "jury : lauréat ou non retenu, avec le lien vers l'avis du jury."
        ),
        template="jury/email/results",
        recipients=recipients,
        actor=actor,
    )
