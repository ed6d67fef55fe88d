"""Writes about the laureates' cards and each edition's showcase, and their publication.

The cards come from the jury's results (one per laureate project); the
coordination reviews them with the associations, then publishes the edition's
showcase, which publishes every ready card. Every move goes through the
workflows of ``laureates.workflows``; ``Laureate.is_public`` is recomputed
after each, and ``laureates.signals.public_content_changed`` is sent after the
commit whenever something the public reads has changed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify

from accounts.models import User
from core.permissions import allowed
from core.stale import StaleWrite
from core.workflow import record, transition
from jury.enums import Decision
from jury.models import Proposal
from laureates import selectors
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from laureates.photos import reencoded_photo
from laureates.signals import public_content_changed
from laureates.workflows import (
    CARD,
    SHOWCASE,
    LaureatesRefused,
    require_ready_cards,
    showcase_is_published,
)
from submissions.models import Edition, Project
from submissions.services.projects import check_qpvs_in_commune

# What the card's form may change, besides the photo and the quartiers.
CARD_FIELDS = (
    "title",
    "pitch",
    "description",
    "photo_alt",
    "commune",
    "themes",
    "amount_granted",
    "partners",
    "website",
    "show_progress",
)
PHOTO_ALT_REQUIRED = (
    "Décrivez la photo en quelques mots (ce qu'elle montre), "
    "pour les personnes qui ne la voient pas."
)


def _require(actor, perm: str, obj=None, message: str = "Vous ne pouvez pas faire cette action."):
    if not allowed(actor, perm, obj):
        raise ValidationError(message)


def public_content_changed_after_commit(*, sender: type, years) -> None:
    """Tell whoever keeps a copy of the public pages, once the change is committed."""
    years = sorted(set(years))
    transaction.on_commit(
        lambda: public_content_changed.send(sender=sender, years=years), robust=True
    )


def _sync_public(edition_id: int) -> None:
    """Recompute ``is_public`` for an edition's cards: card published AND showcase published."""
    published = Showcase.objects.filter(
        edition_id=edition_id, state=ShowcaseState.PUBLISHED
    ).exists()
    cards = Laureate.objects.filter(edition_id=edition_id)
    cards.filter(state=CardState.PUBLISHED).exclude(is_public=published).update(is_public=published)
    cards.exclude(state=CardState.PUBLISHED).filter(is_public=True).update(is_public=False)


# --- Cards from the jury's results ---------------------------------------------------------


def _free_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:100].strip("-") or "projet"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def _amount_of(project: Project) -> Decimal | None:
    return (
        Proposal.objects.filter(project=project, decision=Decision.LAUREATE)
        .order_by("-recorded_at")
        .values_list("amount", flat=True)
        .first()
    )


@transaction.atomic
def cards_create(*, edition: Edition, actor: User) -> int:
    """Give every laureate project of the edition its card; return how many were created.

    Idempotent: a project has one card at most (a unique column), and the
    edition's row is locked, so a double click creates each card once.
    """
    _require(actor, "laureates.manage_showcase")
    Edition.objects.select_for_update().get(pk=edition.pk)
    Showcase.objects.get_or_create(edition=edition)
    taken = set(Laureate.objects.filter(edition=edition).values_list("slug", flat=True))
    created = 0
    for project in selectors.projects_without_card(edition).prefetch_related("qpvs"):
        card, was_created = Laureate.objects.get_or_create(
            project=project,
            defaults={
                "edition": edition,
                "year": edition.year,
                "association": project.association,
                "association_name": project.association.name,
                "slug": _free_slug(project.title, taken),
                "title": project.title[:200],
                "pitch": Truncator(" ".join(project.summary.split())).chars(300),
                "commune": project.commune,
                "themes": list(project.themes),
                "amount_granted": _amount_of(project),
                "updated_by": actor,
            },
        )
        if was_created:
            card.qpvs.set(project.qpvs.all())
            record(CARD, card, "create", actor=actor, changes={"project": project.pk})
            created += 1
    return created


# --- The card's text and photo -------------------------------------------------------------


@transaction.atomic
def card_save(
    *,
    card: Laureate,
    actor: User,
    data: dict,
    version: int,
    photo=None,
    remove_photo: bool = False,
) -> Laureate:
    """Save the card's public text (and photo), refusing a save based on an old version.

    A published card stays published; the change is recorded in the event log.
    """
    locked = (
        Laureate.objects.select_for_update(of=("self",)).select_related("edition").get(pk=card.pk)
    )
    _require(actor, "laureates.change_card", locked, "Vous ne pouvez pas modifier cette fiche.")
    if locked.version != version:
        raise StaleWrite(
            (
                "La fiche a été modifiée par quelqu'un d'autre pendant que vous écriviez. "
                "Vos saisies sont conservées : comparez-les avec la version enregistrée, "
                "puis choisissez."
            ),
            code="stale",
        )
    data = dict(data)
    unknown = set(data) - set(CARD_FIELDS) - {"qpvs"}
    if unknown:
        raise ValueError(f"Not a card field: {sorted(unknown)}")
    if "amount_granted" in data and not allowed(actor, "laureates.set_card_amount", locked):
        raise ValidationError({"amount_granted": "Seule la coordination fixe le montant accordé."})
    qpvs = data.pop("qpvs", None)
    if qpvs is not None:
        check_qpvs_in_commune(data.get("commune", locked.commune), qpvs)
    changed = [name for name, value in data.items() if getattr(locked, name) != value]
    for name, value in data.items():
        setattr(locked, name, value)
    keeps_photo = bool(photo) or (bool(locked.photo) and not remove_photo)
    if keeps_photo and not locked.photo_alt.strip():
        raise ValidationError({"photo_alt": PHOTO_ALT_REQUIRED}, code="photo_alt")
    if not keeps_photo:
        locked.photo_alt = ""
    old_photo = locked.photo.name if (photo or remove_photo) and locked.photo else ""
    locked.version += 1
    locked.updated_by = actor
    locked.full_clean(exclude=["photo"])
    # Written once the rest is known valid: a refused save leaves no file behind.
    if photo:
        content = reencoded_photo(photo)
        locked.photo.save(content.name, content, save=False)
        changed.append("photo")
    elif remove_photo and locked.photo:
        locked.photo = ""
        changed.append("photo")
    locked.save()
    if qpvs is not None:
        before = set(locked.qpvs.values_list("pk", flat=True))
        if before != {qpv.pk for qpv in qpvs}:
            locked.qpvs.set(qpvs)
            changed.append("qpvs")
    if old_photo:
        storage = locked.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo), robust=True)
    record(CARD, locked, "edit", actor=actor, changes={"fields": sorted(set(changed))})
    if locked.is_public:
        public_content_changed_after_commit(sender=Laureate, years=[locked.year])
    return locked


# --- Moves of a card -----------------------------------------------------------------------


def card_transition_check(*, card: Laureate, actor: User, name: str) -> None:
    """Raise why ``actor`` may not take ``name`` on the card now (before asking to confirm)."""
    CARD.check(card, actor, name)
    if name == "publish" and not showcase_is_published(card):
        raise LaureatesRefused(
            "La vitrine de l'édition n'est pas publiée : publiez la vitrine, "
            "elle publie toutes les fiches prêtes."
        )


@transaction.atomic
def card_transition(*, card: Laureate, actor: User, name: str, reason: str = "") -> Laureate:
    """Move one card; a card entering or leaving the public says so after the commit."""
    _require(actor, "laureates.manage_showcase")
    moved = transition(
        CARD,
        card,
        name,
        actor=actor,
        reason=reason,
        lock=Laureate.objects.select_related("edition__showcase"),
    )
    # Read on the locked row, before the recomputation: the caller's copy may be stale.
    was_public = moved.is_public
    _sync_public(moved.edition_id)
    moved.refresh_from_db(fields=["is_public"])
    if moved.is_public != was_public:
        public_content_changed_after_commit(sender=Laureate, years=[moved.year])
    return moved


# --- The showcase --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationOutcome:
    published: int
    not_ready: int


@transaction.atomic
def showcase_settings_save(
    *, edition: Edition, actor: User, show_amounts: bool, intro: str
) -> Showcase:
    """Save how the edition's showcase reads; a published one tells the public pages."""
    _require(actor, "laureates.manage_showcase")
    showcase, _created = Showcase.objects.get_or_create(edition=edition)
    showcase = Showcase.objects.select_for_update().get(pk=showcase.pk)
    changed = {}
    if showcase.show_amounts != show_amounts:
        changed["show_amounts"] = show_amounts
    if showcase.intro != intro:
        changed["intro"] = "modifiée"
    showcase.show_amounts = show_amounts
    showcase.intro = intro
    showcase.full_clean()
    showcase.save(update_fields=["show_amounts", "intro"])
    record(SHOWCASE, showcase, "settings", actor=actor, changes=changed)
    if showcase.is_published:
        public_content_changed_after_commit(sender=Showcase, years=[edition.year])
    return showcase


def showcase_transition_check(*, showcase: Showcase, actor: User, name: str) -> None:
    """Raise why ``actor`` may not take ``name`` on the showcase now (before confirming)."""
    SHOWCASE.check(showcase, actor, name)
    if name == "publish":
        require_ready_cards(showcase)


@transaction.atomic
def showcase_transition(
    *, showcase: Showcase, actor: User, name: str, reason: str = ""
) -> PublicationOutcome:
    """Move the showcase; publishing it publishes every ready card in the same transaction."""
    _require(actor, "laureates.manage_showcase")
    moved = transition(SHOWCASE, showcase, name, actor=actor, reason=reason)
    published = 0
    if name == "publish":
        for card in Laureate.objects.filter(edition_id=moved.edition_id, state=CardState.READY):
            transition(CARD, card, "publish_with_showcase", actor=actor, internal=True)
            published += 1
    _sync_public(moved.edition_id)
    not_ready = Laureate.objects.filter(edition_id=moved.edition_id, state=CardState.DRAFT).count()
    public_content_changed_after_commit(sender=Showcase, years=[moved.edition.year])
    return PublicationOutcome(published=published, not_ready=not_ready)
