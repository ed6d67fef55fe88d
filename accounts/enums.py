from django.db import models
from django.utils.translation import gettext_lazy as _


class AssociationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association loi 1901")
    COLLECTIVE = "collective", _("Collectif d'habitants")
    OTHER = "other", _("Autre structure")


class Role(models.TextChoices):
    """The roles a person may hold; one person may hold several."""

    MEMBER = "member", _("Membre d'association")
    OFFICER = "officer", _("Chef de projet")
    JUROR = "juror", _("Juré")
    COORDINATOR = "coordinator", _("Coordination")
