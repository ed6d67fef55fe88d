"""The directory's writes: the laureates' membership, the profiles, the other actors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify

from core.once import already_created, save_once
from core.permissions import allowed
from core.stale import StaleWrite
from core.workflow import record
from laureates.models import Laureate
from laureates.services.archives import normalize
from network.enums import MemberKind
from network.models import NetworkMember
from network.workflows import MEMBER

if TYPE_CHECKING:
    from accounts.models import User

# What an association writes on its own profile; the coordination writes these too.
PROFILE_FIELDS = (
    "description",
    "commune",
    "communes",
    "themes",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "listed",
    "description_audience",
    "place_audience",
    "themes_audience",
    "website_audience",
    "contact_audience",
    "projects_audience",
)
SYNC_LOCK = "network:sync_laureate_members"
# What only the coordination writes: who the member is, and whether it is still a member.
COORDINATION_FIELDS = ("name", "kind", "is_active")


def _require(actor, perm: str, obj=None, message: str = "Vous ne pouvez pas faire cette action."):
    if not allowed(actor, perm, obj):
        raise ValidationError(message)


def free_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A member's address from its name, numbered when another member already has it."""
    base = slugify(name)[:100].strip("-") or "membre"
    taken = NetworkMember.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in used:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _new_laureate_member(laureate: Laureate) -> NetworkMember:
    """The profile of a laureate association, first filled from its association and card."""
    association = laureate.association
    name = association.name if association else laureate.association_name
    member = NetworkMember(
        kind=MemberKind.LAUREATE,
        association=association,
        name=name,
        slug=free_slug(name),
        description=(association.description if association else "") or laureate.pitch,
        commune=(association.commune if association else None) or laureate.commune,
        themes=list(laureate.themes),
        website=(association.website if association else "") or laureate.website,
        is_demo=laureate.is_demo,
    )
    member.full_clean(exclude=["laureates", "communes"])
    member.save()
    if member.commune_id:
        member.communes.add(member.commune_id)
    return member


@transaction.atomic
def sync_laureate_members(*, laureates: Iterable[Laureate] | None = None) -> int:
    """Make every laureate association a member of the network; return how many joined.

    A laureate of the portal is matched by its association, one of the
    archives (a name only) by its normalised name. A new member is filled
    from the association and the card once; an existing one keeps what it
    wrote and only gains the laureate project. Run again: nothing changes.
    """
    rows = Laureate.objects.select_related("association__commune", "commune").order_by("pk")
    if laureates is not None:
        rows = rows.filter(pk__in=[laureate.pk for laureate in laureates])
    # Two syncs at once (the button and a new card) would both create the same member.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [SYNC_LOCK])
    by_association = {
        member.association_id: member
        for member in NetworkMember.objects.filter(association__isnull=False)
    }
    by_name = {
        normalize(member.name): member
        for member in NetworkMember.objects.filter(
            association__isnull=True, kind=MemberKind.LAUREATE
        )
    }
    linked = set(
        NetworkMember.laureates.through.objects.values_list("networkmember_id", "laureate_id")
    )
    created = 0
    for laureate in rows:
        if laureate.association_id:
            member = by_association.get(laureate.association_id)
        else:
            member = by_name.get(normalize(laureate.association_name))
        if member is None:
            member = _new_laureate_member(laureate)
            created += 1
            if member.association_id:
                by_association[member.association_id] = member
            else:
                by_name[normalize(member.name)] = member
        if (member.pk, laureate.pk) not in linked:
            member.laureates.add(laureate)
            linked.add((member.pk, laureate.pk))
    return created


def _apply(member: NetworkMember, data: dict[str, Any]) -> list | None:
    communes = data.pop("communes", None)
    for name, value in data.items():
        setattr(member, name, value)
    return communes


@transaction.atomic
def member_save(
    *, member: NetworkMember, actor: User, data: dict[str, Any], version: int | None = None
) -> NetworkMember:
    """Save a member's profile: its own association's people, or the coordination.

    ``version`` is the one the form was opened on: someone who saved since makes the save
    refused (``StaleWrite``) rather than overwritten. The event log keeps who changed which
    pieces (their names, not their values) and any (de)activation.
    """
    locked = NetworkMember.objects.select_for_update().get(pk=member.pk)
    _require(
        actor, "network.change_member", locked, "Vous ne pouvez pas modifier ce profil du réseau."
    )
    if version is not None and locked.version != version:
        raise StaleWrite(
            "Ce profil a été modifié par quelqu'un d'autre pendant que vous écriviez. Vos "
            "saisies sont conservées : comparez-les avec la version enregistrée, puis choisissez.",
            code="stale",
        )
    before = {name: getattr(locked, name) for name in data if name != "communes"}
    before_communes = set(locked.communes.values_list("pk", flat=True))
    was_active = locked.is_active
    data = dict(data)
    unknown = set(data) - set(PROFILE_FIELDS) - set(COORDINATION_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    if set(data) & set(COORDINATION_FIELDS):
        _require(actor, "network.manage_members", message="Seule la coordination change cela.")
    if (
        data.get("kind")
        and data["kind"] != locked.kind
        and MemberKind.LAUREATE
        in (
            data["kind"],
            locked.kind,
        )
    ):
        raise ValidationError(
            {"kind": "Une association lauréate le reste : son type ne change pas."}
        )
    communes = _apply(locked, data)
    locked.full_clean(exclude=["laureates", "communes", "slug"])
    locked.version += 1
    locked.updated_by = actor
    locked.save()
    # A (de)activation is its own entry of the history, below.
    changed = sorted(
        name
        for name, value in before.items()
        if name != "is_active" and getattr(locked, name) != value
    )
    if communes is not None:
        locked.communes.set(communes)
        if {commune.pk for commune in communes} != before_communes:
            changed = sorted([*changed, "communes"])
    if locked.is_active != was_active:
        record(MEMBER, locked, "reactivate" if locked.is_active else "deactivate", actor=actor)
    if changed:
        record(MEMBER, locked, "edit", actor=actor, changes={"fields": changed})
    return locked


@transaction.atomic
def member_add(
    *, actor: User, data: dict[str, Any], submission_key: UUID | None = None
) -> NetworkMember:
    """Add an actor that is not a laureate association (partner, structure, chef de projet)."""
    _require(actor, "network.manage_members", message="Seule la coordination ajoute des membres.")
    if existing := already_created(NetworkMember, submission_key):
        return existing
    data = dict(data)
    if data.get("kind") == MemberKind.LAUREATE:
        raise ValidationError(
            {"kind": "Les associations lauréates rejoignent le réseau d'elles-mêmes."}
        )
    member = NetworkMember(submission_key=submission_key)
    communes = _apply(member, data)
    member.slug = free_slug(member.name)
    member.full_clean(exclude=["laureates", "communes"])
    member.updated_by = actor
    member, created = save_once(member)
    if created:
        if communes is not None:
            member.communes.set(communes)
        record(MEMBER, member, "add", actor=actor)
    return member
