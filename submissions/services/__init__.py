"""Writes of the submissions stage, by concern; ``services.x(...)`` reaches them all."""

from core.workflow import TransitionRefused
from submissions.deposit import snapshot_data
from submissions.enums import ProjectState
from submissions.services.attachments import attachment_add, attachment_delete
from submissions.services.coaching import (
    checklist_save,
    coaching_entry_add,
    message_post,
    project_assign,
    thread_mark_read,
)
from submissions.services.editions import (
    edition_save,
    edition_transition,
    edition_transition_check,
)
from submissions.services.projects import (
    project_budget_save,
    project_create,
    project_delete,
    project_delete_check,
    project_section_save,
)
from submissions.services.transitions import project_transition, transition_check

__all__ = [
    "ProjectState",
    "TransitionRefused",
    "attachment_add",
    "attachment_delete",
    "checklist_save",
    "coaching_entry_add",
    "edition_save",
    "edition_transition",
    "edition_transition_check",
    "message_post",
    "project_assign",
    "project_budget_save",
    "project_create",
    "project_delete",
    "project_delete_check",
    "project_section_save",
    "project_transition",
    "snapshot_data",
    "thread_mark_read",
    "transition_check",
]
