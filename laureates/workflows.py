"""The laureates stage's lifecycles on the portal's one workflow engine (``core.workflow``).

An edition's showcase goes from « En préparation » to « Publiée », may be
withdrawn with a reason (« Retirée ») and published again. A laureate's card
is reviewed (« À relire » → « Prête »), published with its showcase (a move
the publication takes, not a button) or on its own once the showcase is
public, and may be withdrawn with a reason. The services recompute
``Laureate.is_public`` after every move.
"""

from django.utils import timezone

from accounts.rules import is_coordinator
from core.workflow import Transition, TransitionRefused, Workflow
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase

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
