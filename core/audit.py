"""Entries of the audit trail that belong to no lifecycle: exports, sign-ins, role changes.

They go to the same event log as the workflows' transitions (``core.models.Event``),
through ``core.workflow.record``, under a workflow without states. The
coordination browses them with the rest of the log.

A change of someone's rights is recorded by one function whoever makes it:
the portal's services and the Django admin both call ``record_role_change``
(with the values read before the save) and ``record_membership``.
"""

from typing import Any

from django.db import models

from core.models import Event
from core.workflow import Workflow, record

# Stateless: only ``record`` writes under it; ``model`` names no row it would lock.
EXPORT = Workflow(name="export", model=models.Model, transitions=[], state_field="")
# A person's account: sign-ins, roles, memberships of an association or a jury.
ACCOUNT = Workflow(name="account", model=models.Model, transitions=[], state_field="")

SIGN_IN = "sign_in"
ROLES = "roles"
MEMBERSHIP = "membership"

# What a person may do on the portal besides their associations and juries.
ROLE_FIELDS = (
    "is_coordinator",
    "officer_contract",
    "is_juror",
    "is_staff",
    "is_superuser",
    "is_active",
)


def record_export(*, actor, subject, what: str, fmt: str, rows: int, columns: list[str]) -> Event:
    """Note that ``actor`` took the file ``what`` (its rows and columns) about ``subject``."""
    return record(
        EXPORT,
        subject,
        fmt,
        actor=actor,
        reason=what,
        changes={"lignes": [None, rows], "colonnes": [None, list(columns)]},
    )


def record_sign_in(*, user) -> Event:
    """Note that ``user`` signed in."""
    return record(ACCOUNT, user, SIGN_IN, actor=user)


def roles_of(user) -> dict[str, Any]:
    """The person's roles as the trail keeps them: booleans, and a contrat de ville's name."""
    values: dict[str, Any] = {}
    for name in ROLE_FIELDS:
        value = getattr(user, name)
        values[name] = value if value is None or isinstance(value, bool) else str(value)
    return values


def saved_roles_of(user) -> dict[str, Any]:
    """The roles of ``user`` as saved in the database (before a change).

    A person not saved yet has the model's defaults: only the roles given
    beyond them are recorded.
    """
    if user.pk is None:
        return roles_of(type(user)())
    saved = type(user)._default_manager.select_related("officer_contract").get(pk=user.pk)
    return roles_of(saved)


def record_role_change(*, actor, user, before: dict[str, Any], reason: str = "") -> Event | None:
    """Note what changed in the roles of ``user`` since ``before`` (``saved_roles_of``).

    Nothing is written when nothing changed.
    """
    after = roles_of(user)
    changes = {name: [before.get(name), after[name]] for name in ROLE_FIELDS}
    changes = {name: values for name, values in changes.items() if values[0] != values[1]}
    if not changes:
        return None
    return record(ACCOUNT, user, ROLES, actor=actor, reason=reason, changes=changes)


def record_membership(*, actor, user, group, joined: bool, reason: str = "") -> Event:
    """Note that ``user`` joined (or left) ``group``: an association, a jury session.

    ``changes`` keys the group by its kind (« association », « séance de jury »).
    """
    name = str(group)
    return record(
        ACCOUNT,
        user,
        MEMBERSHIP,
        actor=actor,
        reason=reason,
        changes={str(group._meta.verbose_name): [None, name] if joined else [name, None]},
    )
