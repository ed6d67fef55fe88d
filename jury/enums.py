from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JurorQuality(models.TextChoices):
    ELECTED = "elu", _("Élu")
    ACADEMIC = "expert_universitaire", _("Expert — universitaire")
    DEPARTEMENT = "expert_departement", _("Expert — Conseil départemental")
    STATE = "expert_etat", _("Expert — État")
    OTHER_INSTITUTION = "expert_autre", _("Expert — autre institution")
    TECHNICIAN = "technicien", _("Technicien de l'innovation")


class SessionState(models.TextChoices):
    PLANNED = "planned", _("En préparation")
    OPEN = "open", _("Évaluations ouvertes")
    # With a context: Django's own catalogue translates a bare "Close" as « Fermer ».
    CLOSED = "closed", pgettext_lazy("jury session state", "Close")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise")


class Decision(models.TextChoices):
    LAUREATE = "laureate", _("Lauréat")
    NOT_SELECTED = "not_selected", _("Non retenu")


class BundleState(models.TextChoices):
    """A jury PDF bundle: queued, being built by the background task, then ready or failed."""

    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Prêt")
    FAILED = "failed", _("Échec")


class Attendance(models.TextChoices):
    PENDING = "pending", _("Réponse attendue")
    CONFIRMED = "confirmed", _("Présence confirmée")
    DECLINED = "declined", _("Empêchée")


# The grid offered when an edition has none and no earlier edition to copy.
DEFAULT_CRITERIA = [
    (
        "Caractère innovant",
        "Ce que le projet fait de nouveau, dans le quartier ou dans sa méthode.",
        3,
    ),
    (
        "Implication des habitants",
        "Place des habitants dans la conception et la conduite du projet.",
        3,
    ),
    (
        "Impact sur le quartier",
        "Effets attendus pour les habitants du ou des quartiers prioritaires.",
        2,
    ),
    ("Faisabilité", "Budget réaliste, partenaires confirmés, calendrier tenable.", 2),
    ("Pérennité et essaimage", "Suite possible après le label, reprise ailleurs.", 1),
]
