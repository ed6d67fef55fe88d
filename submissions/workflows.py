"""The lifecycles of the submissions stage: a project and an edition (DESIGN.md).

The one place where allowed moves are written down: the services take them
with ``core.workflow.transition``, the permission predicates and the pages
read them with ``allows`` and ``available``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.rules import is_coordinator, officer_of
from accounts.selectors import association_members
from core.links import absolute_url
from core.workflow import Transition, TransitionRefused, Workflow
from notifications.services import notify
from submissions.deposit import content_hash, snapshot_data
from submissions.enums import Actor, EditionState, ProjectState
from submissions.models import DepositSnapshot, Edition, Project
from submissions.sections import missing_for_proposal, missing_mandatory_sections
from submissions.tasks import deposit_receipt_task

S = ProjectState
COACHES = {Actor.OFFICER, Actor.COORDINATOR}


def actor_roles(user, project) -> set[str]:
    """Return the roles in which a person stands towards a project."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles: set[str] = set()
    if is_coordinator(user):
        roles.add(Actor.COORDINATOR)
    if officer_of(user, project.city_contract_id):
        roles.add(Actor.OFFICER)
    # The pages' selectors read who belongs to the association with the project
    # (selectors.with_member_ids): the page's many role checks read no row.
    member_ids = getattr(project, "member_user_ids", None)
    if member_ids is None:
        member_ids = [m.user_id for m in project.association.memberships.all()]
    if user.pk in member_ids:
        roles.add(Actor.MEMBER)
    return roles


def coaches(project: Project):
    """The chefs de projet of the project's territory, or the coordinators."""
    if project.city_contract_id:
        people = User.objects.filter(officer_contract_id=project.city_contract_id, is_active=True)
    else:
        people = User.objects.filter(is_coordinator=True, is_active=True)
    return people.order_by("email")


def coach_emails(project: Project) -> list[str]:
    return list(coaches(project).values_list("email", flat=True))


def tell_assigned(project: Project) -> None:
    """Tell the project's new chef de projet (or the coordinators) it is theirs now."""
    notify(
        kind="project_assigned",
        users=coaches(project),
        title=f"Projet à accompagner : {project.title}",
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        # No request here: the link uses the portal's configured address.
        context={"project": project, "project_url": absolute_url(project)},
    )


# --- what must hold before a move, and what it changes besides the state -----------------


def _moved(*steps):
    """A project's check: run ``steps``; every move bumps the dossier's version."""

    def check(project: Project, actor, reason: str) -> list[str]:
        fields = ["version"]
        for step in steps:
            fields += step(project, actor, reason)
        project.version += 1
        return fields

    return check


def _incomplete_sections(project: Project) -> str:
    return ", ".join(str(row["section"].title) for row in missing_mandatory_sections(project))


def _before_propose(project: Project, actor, reason: str) -> list[str]:
    # Proposing opens the coaching: the chef de projet and the association
    # write the rest of the dossier together afterwards (DESIGN.md).
    missing = missing_for_proposal(project)
    commune = project.commune
    if missing or commune is None:
        raise TransitionRefused(
            "Pour proposer le projet, indiquez d'abord : {items}.".format(
                items=", ".join(str(item) for item in missing)
            )
        )
    project.city_contract = commune.city_contract
    project.proposed_at = timezone.now()
    return ["city_contract", "proposed_at"]


def _before_mark_ready(project: Project, actor, reason: str) -> list[str]:
    if incomplete := _incomplete_sections(project):
        raise TransitionRefused(
            f"Le dossier n'est pas encore complet : {incomplete}. L'association doit "
            "d'abord compléter ces parties (budget équilibré compris)."
        )
    return []


def _before_deposit(project: Project, actor, reason: str) -> list[str]:
    if incomplete := _incomplete_sections(project):
        raise TransitionRefused(f"Le dossier est incomplet : {incomplete}.")
    edition = Edition.objects.select_for_update().filter(state=EditionState.OPEN).first()
    now = timezone.now()
    if edition is None:
        raise TransitionRefused("Aucune édition n'est ouverte au dépôt en ce moment.")
    if timezone.localdate(now) < edition.opens_on:
        raise TransitionRefused(
            "Les dépôts de l'édition {year} ouvrent le {day}.".format(
                year=edition.year, day=date_format(edition.opens_on, "j F Y")
            )
        )
    if now > edition.deposit_deadline:
        raise TransitionRefused(f"La date limite de dépôt de l'édition {edition.year} est passée.")
    project.edition = edition
    project.deposited_at = now
    data = snapshot_data(project)
    snapshot = DepositSnapshot.objects.create(
        project=project,
        edition=edition,
        data=data,
        content_hash=content_hash(data),
        deposited_by=actor,
        deposited_at=now,
    )
    # The receipt PDF is built once the deposit is safely committed: a failure
    # there never undoes the deposit (the PDF is built again on demand).
    transaction.on_commit(lambda: deposit_receipt_task.enqueue(snapshot.pk))
    return ["edition", "deposited_at"]


def _before_ineligible(project: Project, actor, reason: str) -> list[str]:
    # The reason stays on the project, for the association and the minutes.
    project.review_comment = reason
    return ["review_comment"]


# --- who hears of a move ------------------------------------------------------------------


def _tell(*who: str):
    """A notification to the association ("members"), the coaches, or both."""

    def notify_move(project: Project, actor, event) -> None:
        people = []
        if "members" in who:
            people += list(association_members(project.association))
        if "coaches" in who:
            people += list(coaches(project))
        actor_pk = getattr(actor, "pk", None)
        notify(
            kind="project_state",
            users=[person for person in people if person.pk != actor_pk],
            title=f"{project.title} : {project.get_state_display().lower()}",
            link=project.get_absolute_url(),
            mail_template="submissions/email/transition",
            context={
                "project": project,
                "states": ProjectState,
                "transition": PROJECT[event.action],
                "actor": actor,
                "comment": event.reason,
                "project_url": absolute_url(project),
            },
        )

    return notify_move


PROJECT = Workflow(
    name="project",
    model=Project,
    roles_of=actor_roles,
    state_refusal="Impossible : le projet est « %(state)s ».",
    internal_refusal="Ce résultat est appliqué par la publication des résultats du jury.",
    reason_field="comment",
    transitions=[
        Transition(
            "propose",
            "Proposer au chef de projet",
            sources={S.DRAFT},
            target=S.PROPOSED,
            actors={Actor.MEMBER},
            check=_moved(_before_propose),
            notify=_tell("coaches"),
            success="Projet proposé à votre chef de projet. Il va prendre contact avec vous.",
        ),
        Transition(
            "take_into_coaching",
            "Prendre en accompagnement",
            sources={S.PROPOSED},
            target=S.COACHING,
            actors=COACHES,
            check=_moved(),
            notify=_tell("members"),
            success="Projet pris en accompagnement. L'association en est informée par mail.",
        ),
        Transition(
            "mark_ready",
            "Marquer prêt au dépôt",
            sources={S.COACHING},
            target=S.READY,
            actors=COACHES,
            check=_moved(_before_mark_ready),
            notify=_tell("members"),
            success="Projet marqué prêt au dépôt. L'association en est informée par mail.",
        ),
        Transition(
            "send_back",
            "Renvoyer en accompagnement",
            sources={S.READY},
            target=S.COACHING,
            actors={Actor.MEMBER, *COACHES},
            needs_reason=True,
            check=_moved(),
            notify=_tell("members", "coaches"),
            success="Projet renvoyé en accompagnement. Le dossier peut de nouveau être modifié.",
        ),
        Transition(
            # A ready dossier its association changes goes back to coaching, by itself:
            # taken by the save of the dossier (the save moves the version).
            "edited_when_ready",
            "Dossier modifié après avoir été marqué prêt",
            sources={S.READY},
            target=S.COACHING,
            actors={Actor.MEMBER},
            internal=True,
        ),
        Transition(
            "deposit",
            "Déposer le dossier",
            sources={S.READY},
            target=S.DEPOSITED,
            actors={Actor.MEMBER},
            check=_moved(_before_deposit),
            notify=_tell("coaches"),
            success="Dossier déposé. Vous allez recevoir l'accusé de dépôt par mail.",
            confirm=(
                "Le dossier sera déposé dans l'édition ouverte. Ensuite, il ne pourra plus "
                "être modifié : le jury lira exactement ce dossier."
            ),
        ),
        Transition(
            "withdraw",
            "Retirer le projet",
            # A draft is deleted instead: nobody but its association ever saw it.
            sources={S.PROPOSED, S.COACHING, S.READY, S.DEPOSITED, S.ELIGIBLE, S.SHORTLISTED},
            target=S.WITHDRAWN,
            actors={Actor.MEMBER},
            check=_moved(),
            notify=_tell("coaches"),
            success="Projet retiré. Votre chef de projet en est informé par mail.",
            confirm=(
                "Le projet sera retiré : il ne sera plus accompagné ni examiné par le jury. "
                "Ce retrait est définitif."
            ),
            button="danger",
        ),
        Transition(
            "declare_eligible",
            "Déclarer recevable",
            sources={S.DEPOSITED},
            target=S.ELIGIBLE,
            actors={Actor.COORDINATOR},
            check=_moved(),
            notify=_tell("members"),
            success="Projet déclaré recevable.",
        ),
        Transition(
            "declare_ineligible",
            "Déclarer irrecevable",
            sources={S.DEPOSITED, S.ELIGIBLE},
            target=S.INELIGIBLE,
            actors={Actor.COORDINATOR},
            needs_reason=True,
            check=_moved(_before_ineligible),
            notify=_tell("members"),
            success="Projet déclaré irrecevable. L'association reçoit le motif par mail.",
            confirm=(
                "Le projet sera déclaré irrecevable : il ne passera pas devant le jury. "
                "L'association recevra par mail le motif que vous indiquez."
            ),
            button="danger",
        ),
        Transition(
            "award",
            "Déclarer lauréat",
            sources={S.SHORTLISTED},
            target=S.LAUREATE,
            actors={Actor.COORDINATOR},
            check=_moved(),
            # The association hears of it from the results mailing (notifications outbox).
            notify=_tell("coaches"),
            success="Projet déclaré lauréat.",
            # Set by the publication of the jury's results, never by hand on a project page.
            internal=True,
        ),
        Transition(
            "not_select",
            "Déclarer non retenu",
            sources={S.SHORTLISTED},
            target=S.NOT_SELECTED,
            actors={Actor.COORDINATOR},
            check=_moved(),
            # The association hears of it from the results mailing (notifications outbox).
            notify=_tell("coaches"),
            success="Projet déclaré non retenu.",
            internal=True,
        ),
        Transition(
            # The end of the follow-up: taken by laureates' mark_completed, which first
            # checks that the final report is accepted (DESIGN.md: « Réalisé »).
            "complete",
            "Marquer réalisé",
            sources={S.LAUREATE},
            target=S.COMPLETED,
            actors={Actor.COORDINATOR},
            check=_moved(),
            notify=_tell("members"),
            success="Projet marqué réalisé. L'association en est informée par mail.",
            internal=True,
        ),
        Transition(
            "shortlist",
            "Retenir pour l'audition",
            sources={S.ELIGIBLE},
            target=S.SHORTLISTED,
            actors={Actor.COORDINATOR},
            check=_moved(),
            notify=_tell("members"),
            success="Projet retenu pour l'audition devant le jury.",
        ),
    ],
)

# The association may change the dossier in these states only.
EDITABLE_STATES = frozenset({S.DRAFT, S.PROPOSED, S.COACHING, S.READY})


# --- an edition: prepared, open to deposits, closed, archived -----------------------------

E = EditionState


def _edition_roles(user, edition) -> set[str]:
    if user is not None and is_coordinator(user):
        return {Actor.COORDINATOR}
    return set()


def _before_reopen(edition: Edition, actor, reason: str) -> list[str]:
    if timezone.now() > edition.deposit_deadline:
        raise TransitionRefused(
            f"La date limite de dépôt de l'édition {edition.year} est passée : reportez-la "
            "d'abord pour rouvrir les dépôts."
        )
    return _only_one_open(edition, actor, reason)


def _only_one_open(edition: Edition, actor, reason: str) -> list[str]:
    other = Edition.objects.filter(state=E.OPEN).exclude(pk=edition.pk).first()
    if other is not None:
        raise TransitionRefused(
            f"Une autre édition est déjà ouverte au dépôt : {other.title}. Clôturez-la d'abord."
        )
    return []


EDITION = Workflow(
    name="edition",
    model=Edition,
    roles_of=_edition_roles,
    state_refusal="Impossible : l'édition est « %(state)s ».",
    reason_field="comment",
    transitions=[
        Transition(
            "open",
            "Ouvrir les dépôts",
            sources={E.PREPARING},
            target=E.OPEN,
            actors={Actor.COORDINATOR},
            check=_only_one_open,
            success="Édition ouverte au dépôt.",
        ),
        Transition(
            "close",
            "Clore les dépôts",
            sources={E.OPEN},
            target=E.CLOSED,
            actors={Actor.COORDINATOR},
            success="Dépôts clos.",
            confirm=(
                "Les associations ne pourront plus déposer de dossier dans cette édition. "
                "Les dossiers déjà déposés restent tels quels."
            ),
            button="danger",
        ),
        Transition(
            "reopen",
            "Rouvrir les dépôts",
            sources={E.CLOSED},
            target=E.OPEN,
            actors={Actor.COORDINATOR},
            needs_reason=True,
            check=_before_reopen,
            success="Édition rouverte au dépôt.",
            confirm="Les associations pourront de nouveau déposer jusqu'à la date limite.",
            button="secondary",
        ),
        Transition(
            "archive",
            "Archiver",
            sources={E.CLOSED},
            target=E.ARCHIVED,
            actors={Actor.COORDINATOR},
            success="Édition archivée.",
            button="secondary",
        ),
    ],
)
