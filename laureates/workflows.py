"""The laureates stage's lifecycles on the portal's one workflow engine (``core.workflow``).

An edition's showcase goes from « En préparation » to « Publiée », may be
withdrawn with a reason (« Retirée ») and published again. A laureate's card
is reviewed (« À relire » → « Prête »), published with its showcase (a move
the publication takes, not a button) or on its own once the showcase is
public, and may be withdrawn with a reason. The services recompute
``Laureate.is_public`` after every move.
"""

from django.utils import timezone

from accounts.models import User
from accounts.rules import is_coordinator
from accounts.selectors import association_members
from core.links import absolute_url
from core.workflow import Transition, TransitionRefused, Workflow
from laureates.enums import CardState, MilestoneStatus, ReportKind, ReportState, ShowcaseState
from laureates.models import Laureate, Milestone, Report, Showcase
from notifications.services import notify

COORDINATOR = "coordinator"


class LaureatesRefused(TransitionRefused):
    """A move of a showcase or a card the rules do not allow."""


def coordination_roles(user, obj) -> set[str]:
    return {COORDINATOR} if is_coordinator(user) else set()


def require_ready_cards(showcase: Showcase) -> None:
    """A showcase is published with at least one card ready (or already published)."""
    if not Laureate.objects.filter(
        edition_id=showcase.edition_id, state__in=[CardState.READY, CardState.PUBLISHED]
    ).exists():
        raise LaureatesRefused(
            "Aucune fiche n'est prête : marquez au moins une fiche « Prête » avant de "
            "publier la vitrine."
        )


def _publishable(showcase: Showcase, actor, reason: str) -> list[str]:
    require_ready_cards(showcase)
    showcase.published_at = timezone.now()
    return ["published_at"]


SHOWCASE = Workflow(
    name="laureate-showcase",
    model=Showcase,
    roles_of=coordination_roles,
    refused=LaureatesRefused,
    transitions=[
        Transition(
            "publish",
            "Publier la vitrine",
            sources={ShowcaseState.DRAFT, ShowcaseState.UNPUBLISHED},
            target=ShowcaseState.PUBLISHED,
            actors={COORDINATOR},
            check=_publishable,
            confirm=(
                "La page « Projets primés » de l'édition devient publique, avec toutes les "
                "fiches prêtes, qui sont publiées en même temps. Les fiches encore à relire "
                "restent cachées."
            ),
            success="Vitrine publiée.",
            refused_state="Cette vitrine est déjà publiée.",
            refused_actor="Seule la coordination publie les vitrines.",
        ),
        Transition(
            "unpublish",
            "Retirer la vitrine",
            sources={ShowcaseState.PUBLISHED},
            target=ShowcaseState.UNPUBLISHED,
            actors={COORDINATOR},
            needs_reason=True,
            button="danger",
            confirm=(
                "La page de l'édition et toutes ses fiches disparaissent du site public, "
                "des exports et de la carte, jusqu'à une nouvelle publication."
            ),
            success="Vitrine retirée du site public.",
            refused_state="Seule une vitrine publiée peut être retirée.",
            refused_actor="Seule la coordination retire les vitrines.",
        ),
    ],
)


def showcase_is_published(card: Laureate) -> bool:
    showcase = getattr(card.edition, "showcase", None)
    return bool(showcase and showcase.is_published)


def _stamp_card(card: Laureate, actor, reason: str) -> list[str]:
    card.published_at = timezone.now()
    return ["published_at"]


def _alone_in_public_showcase(card: Laureate, actor, reason: str) -> list[str]:
    if not showcase_is_published(card):
        raise LaureatesRefused(
            "La vitrine de l'édition n'est pas publiée : publiez la vitrine, "
            "elle publie toutes les fiches prêtes."
        )
    return _stamp_card(card, actor, reason)


def _complete(card: Laureate, actor, reason: str) -> list[str]:
    if missing := missing_for_card(card):
        raise LaureatesRefused("La fiche n'est pas complète : {}.".format(", ".join(missing)))
    return []


def missing_for_card(card: Laureate) -> list[str]:
    """What a card lacks before it can be marked ready (empty: complete)."""
    missing = []
    if not card.title.strip():
        missing.append("le titre public")
    if not card.pitch.strip():
        missing.append("l'accroche")
    if card.photo and not card.photo_alt.strip():
        missing.append("la description de la photo")
    if card.commune_id is None:
        missing.append("la commune")
    return missing


CARD = Workflow(
    name="laureate-card",
    model=Laureate,
    roles_of=coordination_roles,
    refused=LaureatesRefused,
    transitions=[
        Transition(
            "mark_ready",
            "Marquer prête",
            sources={CardState.DRAFT},
            target=CardState.READY,
            actors={COORDINATOR},
            check=_complete,
            success="Fiche prête : elle sera publiée avec la vitrine.",
            refused_state="Seule une fiche à relire peut être marquée prête.",
            refused_actor="Seule la coordination relit les fiches.",
        ),
        Transition(
            "back_to_draft",
            "Remettre à relire",
            sources={CardState.READY},
            target=CardState.DRAFT,
            actors={COORDINATOR},
            button="secondary",
            success="Fiche remise à relire.",
            refused_actor="Seule la coordination relit les fiches.",
        ),
        # Taken by the showcase's publication, for every ready card.
        Transition(
            "publish_with_showcase",
            "Publier avec la vitrine",
            sources={CardState.READY},
            target=CardState.PUBLISHED,
            actors={COORDINATOR},
            check=_stamp_card,
            internal=True,
        ),
        Transition(
            "publish",
            "Publier la fiche",
            sources={CardState.READY},
            target=CardState.PUBLISHED,
            actors={COORDINATOR},
            check=_alone_in_public_showcase,
            confirm="La fiche devient publique, dans la vitrine déjà publiée de son édition.",
            success="Fiche publiée.",
            refused_state="Seule une fiche prête peut être publiée.",
            refused_actor="Seule la coordination publie les fiches.",
        ),
        Transition(
            "unpublish",
            "Retirer la fiche",
            sources={CardState.PUBLISHED},
            target=CardState.UNPUBLISHED,
            actors={COORDINATOR},
            needs_reason=True,
            button="danger",
            confirm=(
                "La fiche disparaît du site public, des exports et de la carte. "
                "Elle reste modifiable ici."
            ),
            success="Fiche retirée du site public.",
            refused_state="Seule une fiche publiée peut être retirée.",
            refused_actor="Seule la coordination retire les fiches.",
        ),
        Transition(
            "back_to_ready",
            "Remettre prête",
            sources={CardState.UNPUBLISHED},
            target=CardState.READY,
            actors={COORDINATOR},
            button="secondary",
            success="Fiche de nouveau prête.",
            refused_actor="Seule la coordination relit les fiches.",
        ),
    ],
)


def card_moves(card: Laureate, user) -> list[Transition]:
    """The card's buttons: a lone publication only when the showcase is already public."""
    return [
        move
        for move in CARD.available(card, user)
        if move.name != "publish" or showcase_is_published(card)
    ]


# --- Suivi: reports and milestones of a funded project --------------------------------------

MEMBER = "member"


class FollowupRefused(TransitionRefused):
    """A follow-up action the rules do not allow now."""


def followup_roles(user, laureate) -> set[str]:
    """The roles a person holds on a laureate's follow-up (empty for a stranger)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles = set()
    if user.is_coordinator:
        roles.add(COORDINATOR)
    if (
        laureate.association_id
        and user.memberships.filter(association_id=laureate.association_id).exists()
    ):
        roles.add(MEMBER)
    return roles


def coordinators():
    return User.objects.filter(is_coordinator=True, is_active=True).order_by("email")


# --- Reports ------------------------------------------------------------------------------


def _before_submit(report: Report, actor, reason: str) -> list[str]:
    if not report.text.strip():
        raise FollowupRefused(
            {"text": "Écrivez le bilan avant de le remettre : quelques phrases suffisent."},
            code="empty",
        )
    report.submitted_at = timezone.now()
    return ["submitted_at"]


def _reviewed(report: Report, actor, reason: str) -> list[str]:
    report.reviewed_at = timezone.now()
    report.return_reason = reason
    return ["reviewed_at", "return_reason"]


def _tell(who: str):
    """Tell the association ("members") or the coordination of a report's move."""

    def notify_move(report: Report, actor, event) -> None:
        laureate = report.laureate
        if who == "members":
            people = list(association_members(laureate.association)) if laureate.association else []
        else:
            people = list(coordinators())
        actor_pk = getattr(actor, "pk", None)
        notify(
            kind="report",
            users=[person for person in people if person.pk != actor_pk],
            title=f"{report.get_kind_display()} : {report.get_state_display().lower()} — {laureate.title}",
            link=report.get_absolute_url(),
            mail_template="laureates/email/report_transition",
            context={
                "report": report,
                "laureate": laureate,
                "states": ReportState,
                "transition": REPORT[event.action],
                "reason": event.reason,
                "url": absolute_url(report),
            },
        )

    return notify_move


REPORT = Workflow(
    name="laureate-report",
    model=Report,
    # The confirmation page's field (core.confirm.take_transition).
    reason_field="comment",
    roles_of=lambda user, report: followup_roles(user, report.laureate),
    refused=FollowupRefused,
    state_refusal="Impossible : le bilan est « %(state)s ».",
    transitions=[
        Transition(
            "submit",
            "Remettre le bilan",
            sources={ReportState.EXPECTED, ReportState.RETURNED},
            target=ReportState.SUBMITTED,
            actors={MEMBER},
            check=_before_submit,
            notify=_tell("coordination"),
            success="Bilan remis à la coordination. Elle vous répondra par mail.",
            confirm=(
                "Le bilan et ses pièces jointes seront remis à la coordination. Vous ne "
                "pourrez plus les modifier, sauf si la coordination vous le renvoie."
            ),
            refused_state="Ce bilan est déjà remis.",
            refused_actor="Seule l'association remet ses bilans.",
        ),
        Transition(
            "accept",
            "Accepter le bilan",
            sources={ReportState.SUBMITTED},
            target=ReportState.ACCEPTED,
            actors={COORDINATOR},
            check=_reviewed,
            notify=_tell("members"),
            success="Bilan accepté. L'association en est informée par mail.",
            refused_state="Seul un bilan remis peut être accepté.",
            refused_actor="Seule la coordination accepte les bilans.",
        ),
        Transition(
            "send_back",
            "Renvoyer pour modifications",
            sources={ReportState.SUBMITTED},
            target=ReportState.RETURNED,
            actors={COORDINATOR},
            needs_reason=True,
            check=_reviewed,
            notify=_tell("members"),
            success="Bilan renvoyé. L'association reçoit par mail ce qui est à reprendre.",
            confirm=(
                "Le bilan sera renvoyé à l'association, qui pourra le modifier puis le "
                "remettre à nouveau. Elle recevra par mail ce que vous indiquez."
            ),
            button="secondary",
            refused_state="Seul un bilan remis peut être renvoyé.",
            refused_actor="Seule la coordination renvoie les bilans.",
        ),
    ],
)


def final_report_accepted(laureate) -> bool:
    """Whether the project's final report is accepted: the condition of « Réalisé »."""
    return laureate.reports.filter(kind=ReportKind.FINAL, state=ReportState.ACCEPTED).exists()


# --- Milestones ---------------------------------------------------------------------------

M = MilestoneStatus
# A status is chosen in a list: each one is reached by the move named after it.
MILESTONE_MOVES: dict[str, tuple[str, str]] = {
    M.PLANNED: ("plan", "Remettre à venir"),
    M.IN_PROGRESS: ("start", "Commencée"),
    M.DONE: ("finish", "Faite"),
    M.ABANDONED: ("abandon", "Abandonnée"),
}

MILESTONE = Workflow(
    name="laureate-milestone",
    model=Milestone,
    roles_of=lambda user, milestone: followup_roles(user, milestone.laureate),
    state_field="status",
    refused=FollowupRefused,
    state_refusal="Cette étape est déjà « %(state)s ».",
    transitions=[
        Transition(
            name,
            label,
            sources=set(M) - {status},
            target=status,
            actors={MEMBER, COORDINATOR},
            refused_actor="Seules l'association et la coordination suivent les étapes.",
        )
        for status, (name, label) in MILESTONE_MOVES.items()
    ],
)
