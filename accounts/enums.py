from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association loi 1901")
    COLLECTIVE = "collective", _("Collectif d'habitants")
    OTHER = "other", _("Autre structure")
