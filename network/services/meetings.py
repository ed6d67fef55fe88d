"""The coordination prepares the annual meeting: its page, its programme, its publication."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from core.once import already_created, save_once
from core.permissions import allowed
from core.stale import StaleWrite
from core.text import plural
from core.workflow import record, transition
from network.enums import SEATED_STATES
from network.models import Meeting, ProgrammeItem
from network.services.registration import promote_waitlist
from network.workflows import MEETING

SLUG_MAX_LENGTH = 100

# The fields of the meeting's form, compared to tell the event log what changed.
MEETING_FIELDS = (
    "title",
    "year",
    "starts_at",
    "ends_at",
    "place_name",
    "address",
    "commune_id",
    "access_notes",
    "intro",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "ask_dietary",
    "ask_accessibility",
    "ask_workshop",
    "material",
)


def _require_coordinator(actor: User) -> None:
    if not allowed(actor, "network.manage_meetings"):
        raise ValidationError("Seule la coordination prépare la rencontre.")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "rencontre"
    slug, number = base, 2
    while Meeting.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
        number += 1
    return slug


def seats_given(meeting: Meeting) -> int:
    return meeting.registrations.filter(state__in=SEATED_STATES).count()


def _check_capacity(meeting: Meeting) -> None:
    """A seat given stays given: the capacity does not go below the seats already taken."""
    given = seats_given(meeting)
    if meeting.capacity is not None and meeting.capacity < given:
        raise ValidationError(
            {
                "capacity": plural(
                    given,
                    "%(count)d place est déjà attribuée : la capacité ne peut pas descendre "
                    "en dessous. Pour libérer une place, annulez une inscription.",
                    "%(count)d places sont déjà attribuées : la capacité ne peut pas descendre "
                    "en dessous. Pour libérer des places, annulez des inscriptions.",
                )
                % {"count": given}
            },
            code="capacity_below_seats",
        )


def _save_programme(
    meeting: Meeting, items: Iterable[ProgrammeItem], deleted: Iterable[ProgrammeItem]
) -> None:
    for item in deleted:
        if item.pk and item.meeting_id == meeting.pk:
            item.delete()
    for item in items:
        item.meeting = meeting
        item.full_clean()
        item.save()


@transaction.atomic
def meeting_create(
    *,
    meeting: Meeting,
    programme: Iterable[ProgrammeItem],
    actor: User,
    submission_key=None,
) -> Meeting:
    """Create a meeting in preparation with its programme; the same form sent twice makes one."""
    _require_coordinator(actor)
    if existing := already_created(Meeting, submission_key):
        return existing
    meeting.submission_key = submission_key
    meeting.slug = _unique_slug(meeting.title)
    meeting.updated_by = actor
    meeting.full_clean()
    meeting, created = save_once(meeting)
    if not created:
        return meeting
    _save_programme(meeting, programme, [])
    record(MEETING, meeting, "create", actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    programme: Iterable[ProgrammeItem],
    deleted: Iterable[ProgrammeItem] = (),
    actor: User,
    version: int,
) -> Meeting:
    """Save the edited meeting and its programme, refusing an edit based on an old version.

    Raising the capacity gives the new seats to the waitlist, in its order.
    """
    _require_coordinator(actor)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.version != version:
        raise StaleWrite(
            (
                "La rencontre a été modifiée par quelqu'un d'autre pendant que vous écriviez. "
                "Vos saisies sont conservées : comparez-les avec la version enregistrée, "
                "puis choisissez."
            ),
            code="stale",
        )
    _check_capacity(meeting)
    changed = [name for name in MEETING_FIELDS if getattr(locked, name) != getattr(meeting, name)]
    meeting.version = locked.version + 1
    meeting.updated_by = actor
    meeting.full_clean()
    # Only what the form edits: the state and its dates stay as the workflow wrote them.
    edited = [name.removesuffix("_id") for name in MEETING_FIELDS]
    meeting.save(update_fields=[*edited, "version", "updated_by", "updated_at"])
    _save_programme(meeting, programme, deleted)
    record(MEETING, meeting, "edit", actor=actor, changes={"fields": changed})
    if meeting.capacity > locked.capacity:
        promote_waitlist(meeting)
    return meeting


def meeting_transition_check(*, meeting: Meeting, actor: User, name: str) -> None:
    """Raise why the person may not take this move now (for the confirmation page)."""
    MEETING.check(meeting, actor, name)


@transaction.atomic
def meeting_transition(*, meeting: Meeting, actor: User, name: str, reason: str = "") -> Meeting:
    """Publish or cancel the meeting; a cancellation mails every person registered."""
    return transition(MEETING, meeting, name, actor=actor, reason=reason)
