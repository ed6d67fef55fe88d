"""Writes of the jury stage, one module per concern; ``services.x(...)`` reaches them all."""

from jury.services._common import NO_EVALUATION_YET, JuryRefused
from jury.services.auditions import (
    attendance_confirm,
    audition_add,
    audition_move,
    audition_remove,
    audition_update,
)
from jury.services.deliberation import proposal_save
from jury.services.grid import (
    criteria_copy_for,
    criteria_initialise,
    criterion_delete,
    criterion_move,
    criterion_save,
    grid_is_frozen,
)
from jury.services.publication import results_publish, results_publish_check
from jury.services.scoring import (
    declaration_save,
    declarations_save,
    evaluation_amend,
    evaluation_save,
    may_score,
)
from jury.services.sessions import (
    attendance_record,
    juror_add,
    juror_remove,
    session_close,
    session_close_check,
    session_convene,
    session_open,
    session_save,
)

__all__ = [
    "NO_EVALUATION_YET",
    "JuryRefused",
    "attendance_confirm",
    "attendance_record",
    "audition_add",
    "audition_move",
    "audition_remove",
    "audition_update",
    "criteria_copy_for",
    "criteria_initialise",
    "criterion_delete",
    "criterion_move",
    "criterion_save",
    "declaration_save",
    "declarations_save",
    "evaluation_amend",
    "evaluation_save",
    "grid_is_frozen",
    "juror_add",
    "juror_remove",
    "may_score",
    "proposal_save",
    "results_publish",
    "results_publish_check",
    "session_close",
    "session_close_check",
    "session_convene",
    "session_open",
    "session_save",
]
