"""States of the laureates stage (DESIGN.md, « Lauréats »).

The moves between these states are declared in laureates.workflows.
"""

from django.db import models

from submissions.enums import ProjectState


class ShowcaseState(models.TextChoices):
    """The public showcase of one edition's laureates (/laureats/<year>/)."""

    DRAFT = "draft", "En préparation"
    PUBLISHED = "published", "Publiée"
    UNPUBLISHED = "unpublished", "Retirée"


class CardState(models.TextChoices):
    """One laureate's public card, reviewed by the coordination before the showcase."""

    DRAFT = "draft", "À relire"
    READY = "ready", "Prête"
    PUBLISHED = "published", "Publiée"
    UNPUBLISHED = "unpublished", "Retirée"


# The project states in which the jury's results are published: the label is won.
# A laureate imported from the archives (no project on the portal) has won it too.
CERTIFIED_PROJECT_STATES: frozenset[str] = frozenset(
    {ProjectState.LAUREATE, ProjectState.COMPLETED}
)
# --- Suivi (the follow-up of a funded laureate project) ------------------------------------


class MilestoneStatus(models.TextChoices):
    """Where one step of the project stands; the association says so as it goes."""

    PLANNED = "planned", "À venir"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Fait"
    ABANDONED = "abandoned", "Abandonné"


class ReportKind(models.TextChoices):
    INTERMEDIATE = "intermediate", "Bilan intermédiaire"
    FINAL = "final", "Bilan final"


class ReportState(models.TextChoices):
    """A report the association owes: written, handed in, then accepted or sent back."""

    EXPECTED = "expected", "À remettre"
    SUBMITTED = "submitted", "Remis"
    ACCEPTED = "accepted", "Accepté"
    RETURNED = "returned", "À reprendre"
