"""What the portal tells people: in-app notifications, their choices, the outbox of mass mailings."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from notifications.enums import Delivery, MailingState
from notifications.kinds import KIND_CHOICES


class DigestMail(models.Model):
    """One daily digest sent to a person: at most one per person and day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_mails"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "résumé quotidien"
        verbose_name_plural = "résumés quotidiens"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                name="one_digest_per_user_and_day",
                violation_error_message="Le résumé de ce jour est déjà parti pour cette personne.",
            )
        ]

    def __str__(self):
        return f"Résumé du {self.day} pour {self.user_id}"


class Notification(models.Model):
    """One thing a person is told, in the portal, with a link to the page it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("type", max_length=40, choices=KIND_CHOICES)
    title = models.CharField("titre", max_length=300)
    # A path of the portal (« /espace/projets/12/ »): the link in the list and in a digest.
    link = models.CharField("lien", max_length=500)
    # How the person heard of it by mail, chosen at the time by their preference.
    delivery = models.CharField(max_length=20, choices=Delivery.choices)
    # The digest that carried it (a DIGEST delivery still waiting has none).
    digest = models.ForeignKey(
        DigestMail, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_recent"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants to hear of one kind of notification (non-mandatory kinds only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("type", max_length=40, choices=KIND_CHOICES)
    delivery = models.CharField("réception", max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="one_preference_per_kind",
                violation_error_message="Un choix existe déjà pour ce type de notification.",
            )
        ]

    def __str__(self):
        return f"{self.kind} : {self.delivery}"


class Mailing(models.Model):
    """A mass mailing (results, reminders): composed as a draft, previewed, then sent."""

    kind = models.CharField("type", max_length=40, choices=KIND_CHOICES)
    title = models.CharField("objet de l'envoi", max_length=300)
    description = models.TextField("présentation", blank=True)
    state = models.CharField(
        "état", max_length=20, choices=MailingState.choices, default=MailingState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A composition sent twice (a double click) makes one mailing (core.once).
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "envoi groupé"
        verbose_name_plural = "envois groupés"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:mailing", args=[self.pk])


class OutboxMessage(models.Model):
    """One mail of a mailing, rendered when composed: what is previewed is what leaves."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField("adresse")
    subject = models.CharField("objet", max_length=300)
    text = models.TextField("texte")
    html = models.TextField("HTML")
    # The page the in-app notification opens, created when the mail is sent.
    link = models.CharField("lien", max_length=500)
    # The mail in the portal's queue (core.mail), once the mailing is sent: whether it
    # left, waits for another try or failed is the queue's; none while a draft.
    mail = models.OneToOneField(
        OutgoingMail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_message",
    )

    class Meta:
        verbose_name = "message d'un envoi"
        verbose_name_plural = "messages d'un envoi"
        ordering = ["email", "pk"]

    def __str__(self):
        return f"{self.subject} → {self.email}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:mailing_message", args=[self.mailing_id, self.pk])

    @property
    def status(self) -> str:
        """« pending » until the mailing is sent, then its mail's status in the queue."""
        return self.mail.status if self.mail is not None else PENDING

    def get_status_display(self) -> str:
        if self.mail is None:
            return "À envoyer"
        return self.mail.get_status_display()

    @property
    def sent_at(self):
        return self.mail.sent_at if self.mail is not None else None


# A message of a draft: its mail is not in the queue yet.
PENDING = "pending"
