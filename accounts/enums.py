from django.db import models


class AssociationKind(models.TextChoices):
    ASSOCIATION = "association", "Association loi 1901"
    COLLECTIVE = "collective", "Collectif d'habitants"
    OTHER = "other", "Autre structure"
