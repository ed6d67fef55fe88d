"""Reads of notifications: a person's own, their choices, the outbox."""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.rules import is_coordinator
from core.models import MailStatus, OutgoingMail
from notifications.enums import Delivery
from notifications.kinds import KINDS, Kind, kinds_for
from notifications.models import Mailing, Notification, NotificationPreference, OutboxMessage


def notifications_of(user: User) -> QuerySet[Notification]:
    """A person's notifications, unread first, then the newest."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def notification_of(user: User, pk: int) -> Notification | None:
    return notifications_of(user).filter(pk=pk).first()


def unread_count_of_person() -> Coalesce:
    """The unread count of the outer person, read with them (accounts.backends)."""
    counts = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Coalesce(Subquery(counts), 0)


def unread_count(user: User) -> int:
    """How many notifications the person has not opened (one query)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def deliveries_of(user: User) -> dict[str, str]:
    """How the person receives each kind: their choice, the kind's default, or immediately
    for a mandatory kind (whatever a preference row might say)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: _delivery(kind, chosen.get(kind.key)) for kind in KINDS}


def deliveries_for(users: list[User], kind: Kind) -> dict[int, str]:
    """The delivery of ``kind`` for each of ``users``, by user id (one query)."""
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind.key).values_list(
            "user_id", "delivery"
        )
    )
    return {user.pk: _delivery(kind, chosen.get(user.pk)) for user in users}


def _delivery(kind: Kind, chosen: str | None) -> str:
    if kind.mandatory:
        return Delivery.IMMEDIATE
    return chosen or kind.default


def preference_rows(user: User) -> list[tuple[Kind, str]]:
    """The kinds that concern the person with their delivery, for the preferences page."""
    deliveries = deliveries_of(user)
    return [(kind, deliveries[kind.key]) for kind in kinds_for(user)]


def mailings_visible_to(user: User) -> QuerySet[Mailing]:
    """The outbox: every mailing for the coordination, nothing for anyone else."""
    if not is_coordinator(user):
        return Mailing.objects.none()
    return (
        Mailing.objects.select_related("created_by")
        .annotate(
            recipient_count=Count("messages"),
            sent_count=Count("messages", filter=Q(messages__mail__status=MailStatus.SENT)),
            waiting_count=Count("messages", filter=Q(messages__mail__status=MailStatus.QUEUED)),
            failed_count=Count("messages", filter=Q(messages__mail__status=MailStatus.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )


def mailing_of(user: User, pk: int) -> Mailing | None:
    return mailings_visible_to(user).filter(pk=pk).first()


def mailing_messages(mailing: Mailing) -> QuerySet[OutboxMessage]:
    # The list shows who and where each mail stands, not the texts (read one by one).
    return (
        mailing.messages.select_related("user", "mail")
        .defer("text", "html", "mail__text", "mail__html", "mail__attachments")
        .order_by("email", "pk")
    )


def mailing_message_of(user: User, pk: int, message_pk: int) -> OutboxMessage | None:
    if not is_coordinator(user):
        return None
    return (
        OutboxMessage.objects.select_related("mailing", "user", "mail")
        .filter(mailing_id=pk, pk=message_pk)
        .first()
    )


# --- the queue of every mail the portal sends (core.mail) -----------------------------------

# What the coordination follows: the mails not sent, failed ones first, then the oldest.
UNSENT = (MailStatus.FAILED, MailStatus.QUEUED)


def unsent_mails_visible_to(user: User) -> QuerySet[OutgoingMail]:
    """The mails waiting for another try or failed: the coordination's, nobody else's."""
    if not is_coordinator(user):
        return OutgoingMail.objects.none()
    return (
        OutgoingMail.objects.filter(status__in=UNSENT)
        .defer("text", "html", "attachments")
        # The mailing it belongs to, if any (a reverse one-to-one would raise when none).
        .annotate(
            mailing_id=F("outbox_message__mailing_id"),
            mailing_title=F("outbox_message__mailing__title"),
        )
        .order_by("status", "created_at", "pk")
    )


def unsent_mail_of(user: User, pk: int) -> OutgoingMail | None:
    return unsent_mails_visible_to(user).filter(pk=pk).first()


def unsent_counts(user: User) -> dict[str, int]:
    """How many mails wait and how many failed (one query), for the outbox's notice."""
    if not is_coordinator(user):
        return {"waiting": 0, "failed": 0}
    return OutgoingMail.objects.filter(status__in=UNSENT).aggregate(
        waiting=Count("pk", filter=Q(status=MailStatus.QUEUED)),
        failed=Count("pk", filter=Q(status=MailStatus.FAILED)),
    )
