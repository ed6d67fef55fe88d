"""The submissions' mass mailing, prepared from the outbox: « relance des dossiers non déposés ».

Registered in the outbox (notifications.mailings) by SubmissionsConfig.ready:
a coordinator prepares the draft, reads it, then sends it.
"""

from uuid import UUID

from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.selectors import association_members
from core.links import absolute_url
from notifications import mailings
from notifications.models import Mailing
from notifications.services import Recipient, mailing_compose
from submissions.enums import ProjectState
from submissions.models import Project
from submissions.selectors import open_edition

# The projects still on their way to the deposit.
NOT_DEPOSITED = (ProjectState.PROPOSED, ProjectState.COACHING, ProjectState.READY)


def deposit_reminder_compose(*, actor: User, submission_key: UUID | None = None) -> Mailing:
    """A reminder to the members of each association with a project not deposited yet,
    while the open edition's deadline has not passed (no edition open: nobody)."""
    edition = open_edition()
    projects = []
    if edition is not None and edition.deposit_deadline > timezone.now():
        projects = list(
            Project.objects.filter(state__in=NOT_DEPOSITED)
            .select_related("association")
            .order_by("title", "pk")
        )
    deadline = (
        date_format(timezone.localtime(edition.deposit_deadline), "j F Y à H:i") if edition else ""
    )
    recipients = []
    for project in projects:
        context = {
            "project": project,
            "edition": edition,
            "deadline": deadline,
            "project_url": absolute_url(project),
        }
        recipients += [
            Recipient(user=member, context=context, link=project.get_absolute_url())
            for member in association_members(project.association)
        ]
    title = (
        f"Relance : dossiers pas encore déposés (édition {edition.year})"
        if edition
        else "Relance : dossiers pas encore déposés"
    )
    return mailing_compose(
        kind="reminder",
        title=title,
        description=(
            "Un rappel de la date limite de dépôt aux associations dont un projet est proposé, "
            "en accompagnement ou prêt, mais pas encore déposé."
        ),
        template="submissions/email/deposit_reminder",
        recipients=recipients,
        actor=actor,
        submission_key=submission_key,
    )


def register() -> None:
    mailings.register(
        "relance-depot",
        "Préparer la relance des dossiers non déposés",
        "Aux associations dont un projet n'est pas encore déposé, avant la date limite de "
        "l'édition ouverte.",
        deposit_reminder_compose,
    )
