"""States and choices of the network stage (DESIGN.md, « Réseau »).

The moves between the states are declared in network.workflows.
"""

from django.db import models


class MemberKind(models.TextChoices):
    """What a member of the network of innovation actors is."""

    LAUREATE = "laureate", "Association lauréate"
    ASSOCIATION = "association", "Association"
    PARTNER = "partner", "Partenaire"
    STRUCTURE = "structure", "Structure de proximité"
    OFFICER = "officer", "Chef de projet politique de la ville"


class Audience(models.TextChoices):
    """Who may read one piece of a member's profile: the member chooses."""

    PUBLIC = "public", "Tout le monde"
    MEMBERS = "members", "Les membres du réseau connectés"
    HIDDEN = "hidden", "Personne (masqué)"


class MeetingState(models.TextChoices):
    """The annual meeting: prepared, announced (public page), or cancelled."""

    DRAFT = "draft", "En préparation"
    PUBLISHED = "published", "Publiée"
    CANCELLED = "cancelled", "Annulée"


class RegistrationState(models.TextChoices):
    """One person's registration to a meeting.

    A visitor's registration waits for the confirmation of the e-mail address
    (« registered »); a signed-in person's is decided at once. A seat is
    « confirmed » while there is room, else « waitlisted » with its position;
    a cancellation promotes the first waitlisted person.
    """

    REGISTERED = "registered", "Adresse à confirmer"
    WAITLISTED = "waitlisted", "Liste d'attente"
    CONFIRMED = "confirmed", "Inscrit·e"
    ATTENDED = "attended", "Présent·e"
    CANCELLED = "cancelled", "Annulée"


# The registrations that hold a seat.
SEATED_STATES: frozenset[str] = frozenset({RegistrationState.CONFIRMED, RegistrationState.ATTENDED})
# The registrations still alive (a person with one of these may not register again).
ACTIVE_STATES: frozenset[str] = frozenset(
    {
        RegistrationState.REGISTERED,
        RegistrationState.WAITLISTED,
        RegistrationState.CONFIRMED,
        RegistrationState.ATTENDED,
    }
)


class NoticeKind(models.TextChoices):
    """The scheduled mails of a meeting, sent once per registration."""

    REMINDER = "reminder", "Rappel avant la rencontre"
    FOLLOWUP = "followup", "Après la rencontre, avec les supports"
