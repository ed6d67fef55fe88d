"""Entries of the audit trail that belong to no lifecycle: exports, sign-ins, role changes.

They go to the same event log as the workflows' transitions (``core.models.Event``),
through ``core.workflow.record``, under a workflow without states. The
coordination browses them with the rest of the log.
"""

from django.db import models

from core.models import Event
from core.workflow import Workflow, record

# Stateless: only ``record`` writes under it; ``model`` names no row it would lock.
EXPORT = Workflow(name="export", model=models.Model, transitions=[], state_field="")


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
