from django.db import models


class JurorQuality(models.TextChoices):
    ELECTED = "elu", "Élu"
    ACADEMIC = "expert_universitaire", "Expert — universitaire"
    DEPARTEMENT = "expert_departement", "Expert — Conseil départemental"
    STATE = "expert_etat", "Expert — État"
    OTHER_INSTITUTION = "expert_autre", "Expert — autre institution"
    TECHNICIAN = "technicien", "Technicien de l'innovation"


class SessionState(models.TextChoices):
    PLANNED = "planned", "En préparation"
    OPEN = "open", "Évaluations ouvertes"
    CLOSED = "closed", "Close"


class EvaluationState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumise"


class Decision(models.TextChoices):
    LAUREATE = "laureate", "Lauréat"
    NOT_SELECTED = "not_selected", "Non retenu"


class Attendance(models.TextChoices):
    PENDING = "pending", "Réponse attendue"
    CONFIRMED = "confirmed", "Présence confirmée"
    DECLINED = "declined", "Empêchée"


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
