from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


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
