import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.storage import private_storage


class RateLimitHit(models.Model):
    """One counted action (a mail sent, an invitation…) until its window closes.

    See core.ratelimit. The key is a digest: no address or IP is kept in clear.
    """

    name = models.CharField(max_length=50)
    key = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["name", "key", "expires_at"], name="ratelimit_lookup")]

    def __str__(self):
        return f"{self.name} {self.key[:8]}… → {self.expires_at:%Y-%m-%d %H:%M}"


class EventQuerySet(models.QuerySet):
    def for_object(self, obj) -> "EventQuerySet":
        """Return the events of one object, oldest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        )


class Event(models.Model):
    """One entry of the portal's event log: who did what to which object, and when.

    Written only through ``core.workflow`` (a transition, or a recorded action
    that changes no state), never by hand. It is the audit trail: rows are
    never edited. The database refuses an UPDATE or a DELETE of a row (a
    trigger, migration core 0003), and a person named as actor cannot be
    deleted (PROTECT): an account is anonymised instead.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=40)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # What the action changed besides the state, as {"field": [before, after]}.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "journal des événements"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="event_subject")
        ]

    def __str__(self):
        return (
            f"{self.workflow}.{self.action} #{self.object_id}: {self.from_state} → {self.to_state}"
        )

    @property
    def is_transition(self) -> bool:
        return self.from_state != self.to_state


# --- Background files (core.files) ---------------------------------------------------------


class FileState(models.TextChoices):
    """A file built in the background: queued, being built, then ready or failed."""

    QUEUED = "queued", "En attente"
    RUNNING = "running", "En préparation"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"


def background_file_path(instance, filename):
    # A random folder: the name never tells whose file it is.
    return f"fichiers/{uuid.uuid4().hex}/{filename}"


class BackgroundFile(models.Model):
    """A file asked by one person, built by a background task, downloaded by that person only.

    ``kind`` names the builder (core.files.register); ``parameters`` what was
    asked. Deleted with its file once ``expires_at`` is past (a daily job).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_files"
    )
    kind = models.CharField("type", max_length=40)
    title = models.CharField("intitulé", max_length=200)
    parameters = models.JSONField(default=dict, blank=True)
    # The same request (owner, kind, parameters) while one is still being built: one row.
    fingerprint = models.CharField(max_length=64)
    # A file shared by everyone asking the same (core.files.request_file(source_hash=…)): a
    # digest of what it shows; the ready file is reused until that changes.
    source_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        "état", max_length=10, choices=FileState, default=FileState.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=background_file_path, max_length=200, blank=True
    )
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    finished_at = models.DateTimeField("prêt le", null=True, blank=True)
    expires_at = models.DateTimeField("supprimé le", db_index=True)

    class Meta:
        verbose_name = "fichier préparé"
        verbose_name_plural = "fichiers préparés"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "kind", "created_at"], name="backgroundfile_owner"),
            models.Index(
                fields=["kind", "fingerprint", "source_hash"],
                condition=~models.Q(source_hash=""),
                name="backgroundfile_shared",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "fingerprint"],
                condition=models.Q(state__in=[FileState.QUEUED, FileState.RUNNING]),
                name="backgroundfile_one_unfinished",
                violation_error_message="Ce fichier est déjà en préparation.",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_ready(self) -> bool:
        return self.state == FileState.READY

    @property
    def is_failed(self) -> bool:
        return self.state == FileState.FAILED

    @property
    def is_finished(self) -> bool:
        return self.state in (FileState.READY, FileState.FAILED)

    @property
    def percent(self) -> int:
        if self.is_ready:
            return 100
        return min(100, round(self.done * 100 / self.total)) if self.total else 0


# --- The outgoing-mail queue (core.mail) ----------------------------------------------------


class MailStatus(models.TextChoices):
    """A mail of the queue: waiting (first try or a retry), sent, or given up."""

    QUEUED = "queued", "En attente"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"


class OutgoingMail(models.Model):
    """One mail the portal sends, written in the transaction that causes it, sent after it.

    A delivery record, not a lifecycle (like a mailing's messages): its status
    is written by the queue alone (core.mail), with no entry in the event log.
    A failed try is tried again later (``next_attempt_at``), up to
    ``core.mail.MAX_ATTEMPTS``; then the mail is « failed », shown to the
    coordination, which may try it again.
    """

    # The addresses as the mail names them (a list of strings).
    to = models.JSONField("destinataires", default=list)
    reply_to = models.JSONField("répondre à", default=list, blank=True)
    subject = models.CharField("objet", max_length=300)
    text = models.TextField("texte")
    html = models.TextField("HTML", blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: small files (a calendar, a QR code).
    attachments = models.JSONField("pièces jointes", default=list, blank=True)
    # The template that wrote it (« submissions/email/assigned »), for the list and the logs.
    template = models.CharField("modèle", max_length=200, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_attempt_at = models.DateTimeField("prochain essai", default=timezone.now)
    last_attempt_at = models.DateTimeField("dernier essai", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "mail à envoyer"
        verbose_name_plural = "file des mails"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The retry job's question: the waiting mails whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="queued"),
                name="outgoingmail_due",
            ),
            models.Index(fields=["status", "-created_at"], name="outgoingmail_status"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.get_status_display()})"
