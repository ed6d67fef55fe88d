"""The vocabularies of notifications: how a person hears of one, and a mass mailing's life."""

from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiatement"
    DIGEST = "digest", "Dans le résumé quotidien"
    NEVER = "never", "Jamais par mail (seulement dans le portail)"


class MailingState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyé"
    CANCELLED = "cancelled", "Annulé"
