"""The one way to change the state of anything: a declarative workflow and its event log.

A lifecycle (a project, an edition, a jury session, an evaluation, a PDF
bundle, a laureate's follow-up, a meeting registration…) is a ``Workflow``:
its transitions say where they go from and to, who may take them, whether
they need a reason, what must hold before, who is told after, and how their
button and confirmation read. ``transition()`` is the only code that writes a
state: it locks the row, checks, saves, writes the ``Event`` and sends the
notification after the commit. An action that changes no state but belongs in
the history (a project assigned to a contrat de ville…) goes through
``record()``.

    PROJECT = Workflow(
        name="project",
        model=Project,
        roles_of=lambda user, project: actor_roles(user, project),
        transitions=[
            Transition("propose", "Proposer", sources={"draft"}, target="proposed",
                       actors={"member"}, success="Projet proposé."),
            ...
        ],
    )
    project = transition(PROJECT, project, "propose", actor=request.user)

A check (``Transition.check``) receives the locked object, the actor and the
reason; it raises ``TransitionRefused`` to refuse, and may change other fields
of the object, returning their names so that they are saved with the state.
A notification (``Transition.notify``) receives the saved object, the actor
and the event; it runs after the commit, so a failing mail never undoes the
change.
"""

import contextvars
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise

from core.models import Event

StrOrPromise = str | Promise


class TransitionRefused(ValidationError):
    """A move the workflow does not allow now: its message says why, in French."""


Check = Callable[[Any, Any, str], Iterable[str] | None]
Notify = Callable[[Any, Any, Event], None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    # Any set of states (an enum's members are str); kept as a frozenset.
    sources: AbstractSet[str]
    target: str
    # The roles (as ``Workflow.roles_of`` names them) that may take this transition.
    actors: AbstractSet[str] = frozenset()
    needs_reason: bool = False
    check: Check | None = None
    notify: Notify | None = None
    # What the person reads once it is done (« Projet proposé à votre chef de projet. »).
    success: str = ""
    # What will happen, shown on a confirmation page first; empty: no confirmation.
    confirm: str = ""
    # The button's look: "primary", "secondary" or "danger".
    button: str = "primary"
    # Not offered as a button: taken by another step of the portal (e.g. a publication).
    internal: bool = False
    # What the person reads when the state, or their role, does not allow this move
    # (« Seule une séance ouverte peut être close. »); empty: the engine's general words.
    refused_state: str = ""
    refused_actor: str = ""

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))
        object.__setattr__(self, "actors", frozenset(self.actors))


@dataclass(frozen=True)
class Workflow:
    name: str
    model: type[models.Model]
    # Kept as a tuple.
    transitions: Sequence[Transition]
    # Return the set of roles a user holds on one object (empty for a stranger).
    roles_of: Callable[[Any, Any], set[str] | frozenset[str]] = field(
        default=lambda user, obj: frozenset()
    )
    state_field: str = "state"
    # The exception a refusal raises: a stage may name its own (a subclass of TransitionRefused).
    refused: type[TransitionRefused] = TransitionRefused
    # What a refusal says, in this lifecycle's words: « le projet est « Déposé » ».
    state_refusal: StrOrPromise = "Impossible : l'état actuel (« %(state)s ») ne le permet pas."
    internal_refusal: StrOrPromise = "Cette étape se fait depuis une autre page du portail."
    # The form field that holds the reason: a missing reason is that field's error.
    reason_field: str = "reason"

    def __post_init__(self):
        object.__setattr__(self, "transitions", tuple(self.transitions))
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"Workflow {self.name}: a transition name is used twice")

    def __getitem__(self, name: str) -> Transition:
        for candidate in self.transitions:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def __contains__(self, name: str) -> bool:
        return any(t.name == name for t in self.transitions)

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def check(self, obj, user, name: str, *, internal: bool = False) -> None:
        """Raise TransitionRefused, saying why, when ``user`` may not take ``name`` now.

        The same rule serves the buttons, the permission predicates, the
        confirmation pages and the transition itself. It does not run the
        transition's own check, which may need the row lock. ``user`` None is
        the portal itself: no role is asked of it.
        """
        if name not in self:
            raise self.refused("Cette action n'existe pas.", code="unknown")
        move = self[name]
        if move.internal and not internal:
            raise self.refused(str(self.internal_refusal), code="internal")
        if self.state_of(obj) not in move.sources:
            raise self.refused(
                str(move.refused_state or self.state_refusal) % {"state": _state_label(obj, self)},
                code="state",
            )
        if user is not None and move.actors and not (set(self.roles_of(user, obj)) & move.actors):
            raise self.refused(
                move.refused_actor or "Vous ne pouvez pas faire cette action.", code="actor"
            )

    def refusal(self, obj, user, name: str) -> str | None:
        """Return why ``user`` may not take ``name`` on ``obj`` now, or None when allowed."""
        try:
            self.check(obj, user, name)
        except TransitionRefused as refused:
            return refused.messages[0]
        return None

    def allows(self, obj, user, name: str) -> bool:
        return self.refusal(obj, user, name) is None

    def available(self, obj, user) -> list[Transition]:
        """The transitions to offer as buttons to this person on this object."""
        return [t for t in self.transitions if self.refusal(obj, user, t.name) is None]


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def record(
    workflow: Workflow,
    obj,
    action: str,
    *,
    actor=None,
    reason: str = "",
    changes: dict | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
) -> Event:
    """Write one entry of the event log for an action on ``obj``.

    Without states given, the entry keeps the object's current state on both
    sides: an action that changes no state.
    """
    state = workflow.state_of(obj) if workflow.state_field else ""
    return Event.objects.create(
        content_type=_content_type(obj),
        object_id=obj.pk,
        workflow=workflow.name,
        action=action,
        from_state=state if from_state is None else from_state,
        to_state=state if to_state is None else to_state,
        actor=actor,
        reason=reason,
        changes=changes or {},
    )


@transaction.atomic
def transition(
    workflow: Workflow,
    obj,
    name: str,
    *,
    actor=None,
    reason: str = "",
    internal: bool = False,
    lock: models.QuerySet | None = None,
) -> Any:
    """Take one transition: lock, check, save, write the event, notify after commit.

    ``actor`` None is the portal itself (a scheduled job). ``internal`` lets
    another step of the portal take a transition not offered as a button.
    ``lock`` narrows the locking query (e.g. to ``select_related`` what the
    check reads); it defaults to the model's manager. Return the saved object.
    """
    refused = workflow.refused
    if name not in workflow:
        raise refused("Cette action n'existe pas.", code="unknown")
    move = workflow[name]
    queryset = lock if lock is not None else workflow.model._default_manager.all()
    locked = queryset.select_for_update(of=("self",)).get(pk=obj.pk)
    # On the locked row: someone may have moved it since the page was shown.
    workflow.check(locked, actor, name, internal=internal)
    before = workflow.state_of(locked)
    reason = (reason or "").strip()
    if move.needs_reason and not reason:
        raise refused({workflow.reason_field: "Indiquez le motif."}, code="reason")
    extra = list(move.check(locked, actor, reason) or []) if move.check else []
    setattr(locked, workflow.state_field, move.target)
    update_fields = [workflow.state_field, *extra]
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        update_fields.append("updated_at")
    locked.save(update_fields=sorted(set(update_fields)))
    event = record(
        workflow,
        locked,
        name,
        actor=actor,
        reason=reason,
        from_state=before,
        to_state=move.target,
    )
    if move.notify:
        notify = move.notify
        # In the caller's context: a mail muted there (the demo seed) stays muted.
        context = contextvars.copy_context()
        transaction.on_commit(lambda: context.run(notify, locked, actor, event), robust=True)
    return locked


def _state_label(obj, workflow: Workflow) -> str:
    display = getattr(obj, f"get_{workflow.state_field}_display", None)
    return str(display()) if display else workflow.state_of(obj)
