"""States of the laureates stage (DESIGN.md, « Lauréats »).

The moves between these states are declared in laureates.workflows.
"""

from django.db import models


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
