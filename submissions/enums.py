"""States, actors and vocabularies of a project's life (DESIGN.md).

The moves between states are declared in submissions.workflows.
"""

from django.db import models


class ProjectState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PROPOSED = "proposed", "Proposé"
    COACHING = "coaching", "En accompagnement"
    READY = "ready", "Prêt au dépôt"
    DEPOSITED = "deposited", "Déposé"
    ELIGIBLE = "eligible", "Recevable"
    INELIGIBLE = "ineligible", "Irrecevable"
    SHORTLISTED = "shortlisted", "Retenu pour audition"
    NOT_SELECTED = "not_selected", "Non retenu"
    LAUREATE = "laureate", "Lauréat"
    COMPLETED = "completed", "Réalisé"
    WITHDRAWN = "withdrawn", "Retiré"


class Actor(models.TextChoices):
    MEMBER = "member", "association"
    OFFICER = "officer", "chef de projet"
    COORDINATOR = "coordinator", "coordination"


class Theme(models.TextChoices):
    EMPLOYMENT = "emploi", "Emploi et insertion"
    EDUCATION = "education", "Éducation et jeunesse"
    CULTURE = "culture", "Culture"
    HEALTH = "sante", "Santé"
    ENVIRONMENT = "environnement", "Environnement et cadre de vie"
    DIGITAL = "numerique", "Numérique"
    SOCIAL = "lien_social", "Lien social et citoyenneté"
    SPORT = "sport", "Sport"
    SOCIAL_ECONOMY = "ess", "Économie sociale et solidaire"
    SAFETY = "tranquillite", "Tranquillité publique"


class EditionState(models.TextChoices):
    PREPARING = "preparing", "En préparation"
    OPEN = "open", "Ouverte au dépôt"
    CLOSED = "closed", "Dépôts clos"
    ARCHIVED = "archived", "Archivée"


class BudgetSide(models.TextChoices):
    CHARGE = "charge", "Charges"
    INCOME = "income", "Produits"


class BudgetAccount(models.TextChoices):
    """The CERFA 12156 budget accounts."""

    A60 = "60", "60 — Achats"
    A61 = "61", "61 — Services extérieurs"
    A62 = "62", "62 — Autres services extérieurs"
    A63 = "63", "63 — Impôts et taxes"
    A64 = "64", "64 — Charges de personnel"
    A65 = "65", "65 — Autres charges de gestion courante"
    A66 = "66", "66 — Charges financières"
    A67 = "67", "67 — Charges exceptionnelles"
    A68 = "68", "68 — Dotation aux amortissements"
    A86 = "86", "86 — Emplois des contributions volontaires en nature"
    A70 = "70", "70 — Ventes de produits finis, prestations de services"
    A73 = "73", "73 — Dotations et produits de tarification"
    A74 = "74", "74 — Subventions d'exploitation"
    A75 = "75", "75 — Autres produits de gestion courante"
    A76 = "76", "76 — Produits financiers"
    A77 = "77", "77 — Produits exceptionnels"
    A78 = "78", "78 — Reprises sur amortissements et provisions"
    A87 = "87", "87 — Contributions volontaires en nature"


CHARGE_ACCOUNTS = frozenset({"60", "61", "62", "63", "64", "65", "66", "67", "68", "86"})
INCOME_ACCOUNTS = frozenset({"70", "73", "74", "75", "76", "77", "78", "87"})


class Funder(models.TextChoices):
    """Account 74 is broken down by funder."""

    STATE = "etat", "État"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPT = "ept", "EPT Grand-Orly Seine Bièvre"
    COMMUNE = "commune", "Commune"
    OTHER = "autre", "Autre financeur public ou privé"


class CoachingKind(models.TextChoices):
    MEETING = "meeting", "Rendez-vous"
    CALL = "call", "Appel"
    VISIT = "visit", "Visite"
    MAIL = "mail", "Courriel"
    OTHER = "other", "Autre"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "Interne (chefs de projet et coordination)"
    SHARED = "shared", "Partagée avec l'association"


class AttachmentKind(models.TextChoices):
    STATUTES = "statuts", "Statuts"
    BUDGET = "budget", "Budget"
    PRESENTATION = "presentation", "Présentation"
    PHOTO = "photo", "Photo"
    OTHER = "autre", "Autre"
