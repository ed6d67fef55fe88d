"""The audit trail in French: who did what to which object, and when.

The event log (``core.models.Event``) keeps codes: a workflow's name, an
action, states, a ``changes`` mapping. This module turns one entry into the
sentence a coordinator reads (« Awa Diallo a fait passer le projet « X » de
Déposé à Recevable »), the object's link, and the before/after table. It reads
every lifecycle of the portal, so it lives in the last app but one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse

from core.audit import ACCOUNT, EXPORT, MEMBERSHIP, ROLE_FIELDS, ROLES, SIGN_IN
from core.files import FILE
from core.models import Event
from core.text import plural
from core.workflow import Workflow
from jury.enums import Decision
from jury.models import Criterion
from jury.workflows import AMEND, DECIDE, EVALUATION, PROPOSAL, SESSION
from laureates.workflows import CARD, MILESTONE, REPORT, SHOWCASE
from network.workflows import MEETING, MEMBER, REGISTRATION
from submissions.workflows import EDITION, PROJECT

WORKFLOWS: dict[str, Workflow] = {
    workflow.name: workflow
    for workflow in (
        PROJECT,
        EDITION,
        SESSION,
        EVALUATION,
        PROPOSAL,
        FILE,
        SHOWCASE,
        CARD,
        REPORT,
        MILESTONE,
        MEMBER,
        MEETING,
        REGISTRATION,
        EXPORT,
        ACCOUNT,
    )
}

# The object with its article, by model (« le projet », « la séance du jury »).
NOUNS = {
    "accounts.user": "le compte de",
    "accounts.association": "l'association",
    "submissions.project": "le projet",
    "submissions.edition": "l'édition",
    "jury.jurysession": "la séance du jury",
    "jury.evaluation": "l'évaluation",
    # The jury's PDF dossier before it became a core.files file (its rows are gone).
    "jury.jurybundle": "le dossier PDF du jury",
    "core.backgroundfile": "le fichier préparé",
    "jury.proposal": "la proposition du jury",
    "laureates.showcase": "la vitrine",
    "laureates.laureate": "la fiche lauréat",
    "laureates.report": "le bilan",
    "laureates.milestone": "l'étape",
    "network.networkmember": "la fiche du réseau",
    "network.meeting": "la rencontre",
    "network.registration": "l'inscription",
}

# A group a person joins or leaves (``record_membership``), by its kind: « à … », « de … ».
GROUPS = {
    "association": ("à l'association", "de l'association"),
    "séance du jury": ("à la séance du jury", "de la séance du jury"),
}

# What a recorded action (no change of state) reads as, after the actor's name.
ACTIONS = {
    ("project", "assign"): "a attribué {object} à un contrat de ville",
    ("project", "reroute"): "a fait suivre {object} à un autre contrat de ville",
    ("edition", "publish_results"): "a publié les résultats de {object}",
    ("jury-evaluation", AMEND): "a amendé {object}",
    ("jury-proposal", DECIDE): "a noté {object}",
    ("laureate-card", "create"): "a créé {object}",
    ("laureate-card", "edit"): "a modifié {object}",
    ("laureate-showcase", "settings"): "a changé les réglages de {object}",
    ("network-member", "add"): "a ajouté au réseau {object}",
    ("network-member", "edit"): "a modifié {object}",
    ("network-member", "deactivate"): "a désactivé {object}",
    ("network-member", "reactivate"): "a réactivé {object}",
    ("network-meeting", "create"): "a créé {object}",
    ("network-meeting", "edit"): "a modifié {object}",
}

# The kinds of entry a coordinator filters on.
CATEGORIES = [
    ("transition", "Changements d'état"),
    ("action", "Autres actions (attribution, amendement, proposition…)"),
    ("export", "Exports"),
    ("sign_in", "Connexions de la coordination"),
    ("rights", "Droits et rôles"),
]

ROLE_LABELS = {
    "is_coordinator": "coordination",
    "officer_contract": "chef de projet du contrat de ville",
    "is_juror": "juré",
    "is_staff": "administration technique",
    "is_superuser": "tous les droits techniques",
    "is_active": "compte actif",
}

# Keys of ``changes`` that are not a model's field.
CHANGE_LABELS = {
    **ROLE_LABELS,
    "lignes": "lignes",
    "colonnes": "colonnes",
    "projets": "projets",
    "fields": "champs modifiés",
    "general_comment": "commentaire général",
}

DECISIONS = {str(value): str(label) for value, label in Decision.choices}
DELETED = "objet supprimé"
PORTAL = "Le portail"
# What an export of the trail writes instead of a juror's comment, unless chosen.
COMMENT_WITHHELD = "(commentaire de juré non exporté)"


def category_filter(category: str) -> models.Q:
    """The entries of one kind of ``CATEGORIES``."""
    accounts = models.Q(workflow=ACCOUNT.name)
    exports = models.Q(workflow=EXPORT.name)
    return {
        "transition": ~models.Q(from_state=models.F("to_state")),
        "action": models.Q(from_state=models.F("to_state")) & ~accounts & ~exports,
        "export": exports,
        "sign_in": accounts & models.Q(action=SIGN_IN),
        "rights": accounts & models.Q(action__in=[ROLES, MEMBERSHIP]),
    }[category]


def kind_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    if model is None:
        return content_type.model
    return str(model._meta.verbose_name).capitalize()


def _state_labels(workflow: Workflow | None) -> dict[str, str]:
    if workflow is None or not workflow.state_field:
        return {}
    field = workflow.model._meta.get_field(workflow.state_field)
    choices = getattr(field, "choices", None) or []
    return {str(value): str(label) for value, label in choices}


def state_label(event: Event, state: str) -> str:
    return _state_labels(WORKFLOWS.get(event.workflow)).get(state, state or "—")


def subject_of(event: Event):
    """The event's object, prefetched (``selectors.audit_events``); None once deleted."""
    return event.subject


def actor_name(event: Event) -> str:
    return str(event.actor) if event.actor_id else PORTAL


def _object_words(event: Event) -> str:
    """« le projet « Jardin partagé » », or what is left of a deleted object."""
    key = f"{event.content_type.app_label}.{event.content_type.model}"
    noun = NOUNS.get(key, f"l'objet « {kind_label(event.content_type)} »")
    subject = subject_of(event)
    name = str(subject) if subject is not None else f"{DELETED} n° {event.object_id}"
    return f"{noun} « {name} »"


def _value_text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value) or "—"
    if isinstance(value, dict):
        if "value" in value:
            text = str(value["value"]).replace(".", ",")
            return f"{text} ({value['comment']})" if value.get("comment") else text
        return ", ".join(f"{key} : {_value_text(item)}" for key, item in value.items())
    return str(value)


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def _ordered_changes(event: Event) -> list[tuple[str, Any]]:
    """The changes in a steady order: PostgreSQL's jsonb keeps no insertion order.

    The roles in the order of ``ROLE_FIELDS``, other fields by name, then the
    scores in the order of their criteria.
    """
    order = {name: index for index, name in enumerate(ROLE_FIELDS)}

    def rank(item: tuple[str, Any]) -> tuple[int, int, str]:
        key = item[0]
        if key.startswith("score:") and key[6:].isdigit():
            return (len(order) + 1, int(key[6:]), "")
        return (order.get(key, len(order)), 0, key)

    return sorted(event.changes.items(), key=rank)


def _roles_summary(event: Event) -> str:
    parts = [
        f"{ROLE_LABELS.get(name, name)} : {_value_text(values[0])} → {_value_text(values[1])}"
        for name, values in _ordered_changes(event)
        if _is_pair(values)
    ]
    return "; ".join(parts)


def _account_sentence(event: Event, actor: str) -> str:
    subject = subject_of(event)
    person = str(subject) if subject is not None else f"{DELETED} n° {event.object_id}"
    if event.action == SIGN_IN:
        return f"{actor} a ouvert une session"
    if event.action == ROLES:
        return f"{actor} a changé les droits de {person} ({_roles_summary(event)})"
    if event.action == MEMBERSHIP:
        (kind, (before, after)), *_rest = event.changes.items()
        to_group, from_group = GROUPS.get(kind, (f"au groupe {kind}", f"du groupe {kind}"))
        oneself = event.actor_id == event.object_id
        if after is not None:
            if oneself:
                return f"{actor} a rejoint {to_group.split(' ', 1)[1]} « {after} »"
            return f"{actor} a ajouté {person} {to_group} « {after} »"
        if oneself:
            return f"{actor} a quitté {from_group.split(' ', 1)[1]} « {before} »"
        return f"{actor} a retiré {person} {from_group} « {before} »"
    return f"{actor} : {event.action} ({person})"


def _is_actor_account(event: Event) -> bool:
    return (
        event.content_type.app_label,
        event.content_type.model,
        event.object_id,
    ) == ("accounts", "user", event.actor_id)


def sentence(event: Event) -> str:
    """Who did what to which object, in French (the date is shown beside it)."""
    actor = actor_name(event)
    if event.workflow == ACCOUNT.name:
        return _account_sentence(event, actor)
    if event.workflow == EXPORT.name:
        rows = (event.changes.get("lignes") or [None, 0])[1] or 0
        exported = (
            f"{actor} a exporté « {event.reason} » en {event.action.upper()} "
            f"({rows} {plural(rows, 'ligne', 'lignes')})"
        )
        if _is_actor_account(event):
            # An export of no one object (the trail itself) is noted on its author.
            return exported
        return f"{exported} depuis {_object_words(event)}"
    if event.is_transition:
        return (
            f"{actor} a fait passer {_object_words(event)} de "
            f"{state_label(event, event.from_state)} à {state_label(event, event.to_state)}"
        )
    template = ACTIONS.get((event.workflow, event.action))
    if template is None:
        return f"{actor} a fait l'action « {event.action} » sur {_object_words(event)}"
    return f"{actor} {template.format(object=_object_words(event))}"


def object_link(event: Event) -> str | None:
    """The object's page in the portal (or, for a person, in the admin), when it has one."""
    subject = subject_of(event)
    if subject is None:
        return None
    if hasattr(subject, "get_absolute_url"):
        return subject.get_absolute_url()
    meta = subject._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[subject.pk])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Entry:
    """One entry of the trail as a coordinator reads it."""

    event: Event
    sentence: str
    link: str | None


def entry(event: Event) -> Entry:
    return Entry(event=event, sentence=sentence(event), link=object_link(event))


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _field_label(event: Event, key: str, criteria: dict[int, str]) -> str:
    if key.startswith("score:"):
        criterion_id = int(key.split(":", 1)[1])
        return f"note : {criteria.get(criterion_id, f'critère n° {criterion_id}')}"
    if key in CHANGE_LABELS:
        return CHANGE_LABELS[key]
    model = event.content_type.model_class()
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            return key
        return str(getattr(field, "verbose_name", key))
    return key


def criteria_names(events: Iterable[Event]) -> dict[int, str]:
    """The criteria named by the entries' score changes, in one query."""
    ids = {
        int(key.split(":", 1)[1])
        for event in events
        for key in event.changes
        if key.startswith("score:")
    }
    if not ids:
        return {}
    return dict(Criterion.objects.filter(pk__in=ids).values_list("pk", "label"))


def changes_table(event: Event, *, criteria: dict[int, str], comments: bool = True) -> list[Change]:
    """The entry's before/after, one row per changed thing, in French.

    ``comments`` False withholds what jurors wrote about a project (an export
    of the trail where the coordinator did not choose them).
    """
    rows = []
    if event.is_transition:
        rows.append(
            Change("état", state_label(event, event.from_state), state_label(event, event.to_state))
        )
    for key, value in _ordered_changes(event):
        label = _field_label(event, key, criteria)
        if not _is_pair(value):
            rows.append(Change(label, "", _value_text(value)))
            continue
        before, after = value
        if key == "decision":
            before, after = DECISIONS.get(before, before), DECISIONS.get(after, after)
        if not comments and event.workflow == EVALUATION.name:
            if key == "general_comment":
                before = after = COMMENT_WITHHELD
            before, after = _without_comment(before), _without_comment(after)
        rows.append(Change(label, _value_text(before), _value_text(after)))
    return rows


def _without_comment(value: Any) -> Any:
    """A score as the trail keeps it ({"value", "comment"}), its comment left out."""
    if isinstance(value, dict) and "value" in value:
        return {"value": value["value"]}
    return value
