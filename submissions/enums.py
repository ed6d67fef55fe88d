"""States, actors and vocabularies of a project's life (DESIGN.md).

The moves between states are declared in submissions.workflows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PROPOSED = "proposed", _("Proposé")
    COACHING = "coaching", _("En accompagnement")
    READY = "ready", _("Prêt au dépôt")
    DEPOSITED = "deposited", _("Déposé")
    ELIGIBLE = "eligible", _("Recevable")
    INELIGIBLE = "ineligible", _("Irrecevable")
    SHORTLISTED = "shortlisted", _("Retenu pour audition")
    NOT_SELECTED = "not_selected", _("Non retenu")
    LAUREATE = "laureate", _("Lauréat")
    COMPLETED = "completed", _("Réalisé")
    WITHDRAWN = "withdrawn", _("Retiré")


class Actor(models.TextChoices):
    MEMBER = "member", _("association")
    OFFICER = "officer", _("chef de projet")
    COORDINATOR = "coordinator", _("coordination")


class Theme(models.TextChoices):
    EMPLOYMENT = "emploi", _("Emploi et insertion")
    EDUCATION = "education", _("Éducation et jeunesse")
    CULTURE = "culture", _("Culture")
    HEALTH = "sante", _("Santé")
    ENVIRONMENT = "environnement", _("Environnement et cadre de vie")
    DIGITAL = "numerique", _("Numérique")
    SOCIAL = "lien_social", _("Lien social et citoyenneté")
    SPORT = "sport", _("Sport")
    SOCIAL_ECONOMY = "ess", _("Économie sociale et solidaire")
    SAFETY = "tranquillite", _("Tranquillité publique")


class EditionState(models.TextChoices):
    PREPARING = "preparing", _("En préparation")
    OPEN = "open", _("Ouverte au dépôt")
    CLOSED = "closed", _("Dépôts clos")
    ARCHIVED = "archived", _("Archivée")


class BudgetSide(models.TextChoices):
    CHARGE = "charge", _("Charges")
    INCOME = "income", _("Produits")


class BudgetAccount(models.TextChoices):
    """The CERFA 12156 budget accounts."""

    A60 = "60", _("60 — Achats")
    A61 = "61", _("61 — Services extérieurs")
    A62 = "62", _("62 — Autres services extérieurs")
    A63 = "63", _("63 — Impôts et taxes")
    A64 = "64", _("64 — Charges de personnel")
    A65 = "65", _("65 — Autres charges de gestion courante")
    A66 = "66", _("66 — Charges financières")
    A67 = "67", _("67 — Charges exceptionnelles")
    A68 = "68", _("68 — Dotation aux amortissements")
    A86 = "86", _("86 — Emplois des contributions volontaires en nature")
    A70 = "70", _("70 — Ventes de produits finis, prestations de services")
    A73 = "73", _("73 — Dotations et produits de tarification")
    A74 = "74", _("74 — Subventions d'exploitation")
    A75 = "75", _("75 — Autres produits de gestion courante")
    A76 = "76", _("76 — Produits financiers")
    A77 = "77", _("77 — Produits exceptionnels")
    A78 = "78", _("78 — Reprises sur amortissements et provisions")
    A87 = "87", _("87 — Contributions volontaires en nature")


CHARGE_ACCOUNTS = frozenset({"60", "61", "62", "63", "64", "65", "66", "67", "68", "86"})
INCOME_ACCOUNTS = frozenset({"70", "73", "74", "75", "76", "77", "78", "87"})


class Funder(models.TextChoices):
    """Account 74 is broken down by funder."""

    STATE = "etat", _("État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPT = "ept", _("EPT Grand-Orly Seine Bièvre")
    COMMUNE = "commune", _("Commune")
    OTHER = "autre", _("Autre financeur public ou privé")


class CoachingKind(models.TextChoices):
    MEETING = "meeting", _("Rendez-vous")
    CALL = "call", _("Appel")
    VISIT = "visit", _("Visite")
    MAIL = "mail", _("Courriel")
    OTHER = "other", _("Autre")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Interne (chefs de projet et coordination)")
    SHARED = "shared", _("Partagée avec l'association")


class AttachmentKind(models.TextChoices):
    STATUTES = "statuts", _("Statuts")
    BUDGET = "budget", _("Budget")
    PRESENTATION = "presentation", _("Présentation")
    PHOTO = "photo", _("Photo")
    OTHER = "autre", _("Autre")
