"""Reads of the coordination's tools, each limited to the person who asks."""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet, prefetch_related_objects

from accounts.models import User
from accounts.rules import is_coordinator
from core.models import Event
from jury.models import Evaluation, JuryBundle, Proposal
from laureates.models import Showcase
from network.models import Registration

# --- audit ---------------------------------------------------------------------------------


def audit_events_visible_to(user: User) -> QuerySet[Event]:
    """The audit trail, newest first: the coordination's alone."""
    if not is_coordinator(user):
        return Event.objects.none()
    return Event.objects.select_related("actor", "content_type").order_by("-created_at", "-pk")


def audit_event_of(user: User, pk: int) -> Event | None:
    """One entry of the trail, with its object, if the person may read the trail."""
    event = audit_events_visible_to(user).filter(pk=pk).first()
    if event is not None:
        with_subjects([event])
    return event


def _subject_querysets() -> list[QuerySet]:
    # What each object's name reads (its __str__) comes with it: no query per row.
    return [
        Evaluation.objects.select_related("member__user", "project"),
        Proposal.objects.select_related("project"),
        JuryBundle.objects.select_related("session"),
        Showcase.objects.select_related("edition"),
        Registration.objects.select_related("meeting"),
    ]


def with_subjects(events: Sequence[Event]) -> Sequence[Event]:
    """Fetch the entries' objects, one query per kind of object (not per entry)."""
    prefetch_related_objects(list(events), GenericPrefetch("subject", _subject_querysets()))
    return events


def audit_actors() -> QuerySet[User]:
    """The people the trail names as actors, by name."""
    return User.objects.filter(pk__in=Event.objects.values("actor")).order_by(
        "last_name", "first_name", "pk"
    )


def audit_kinds() -> QuerySet[ContentType]:
    """The kinds of object the trail speaks of."""
    return ContentType.objects.filter(pk__in=Event.objects.values("content_type")).order_by(
        "app_label", "model"
    )
