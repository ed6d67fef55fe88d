"""Writes of notifications: tell people, their choices, the daily digest, the outbox."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.links import absolute_url
from core.mail import (
    QueuedMail,
    RenderedMail,
    is_muted,
    queue_mails,
    render_mail,
    rendered,
    retry_now,
    send_mail_on_commit,
)
from core.models import OutgoingMail
from core.once import already_created, save_once
from core.text import plural
from core.workflow import TransitionRefused, transition
from notifications.enums import Delivery, MailingState
from notifications.kinds import KINDS_BY_KEY, kinds_for
from notifications.kinds import kind as kind_of
from notifications.models import (
    DigestMail,
    Mailing,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from notifications.selectors import deliveries_for
from notifications.workflows import MAILING

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "notifications/email/digest"


def _recipients(users: Iterable[User]) -> list[User]:
    """Each active person with an address once, in a stable order."""
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active and user.email and user.pk not in seen:
            seen[user.pk] = user
    return sorted(seen.values(), key=lambda user: user.email)


def notify(
    *,
    kind: str,
    users: Iterable[User],
    title: str,
    link: str,
    mail_template: str,
    context: dict,
    attachments: list | None = None,
    deliveries: dict[int, str] | None = None,
) -> list[Notification]:
    """Tell each person: a notification in their space, and a mail as they chose.

    Immediately: the mail is queued with the notification and leaves after the
    commit (core.mail, retried while the mail server is down); in the daily
    digest: the notification waits for it; never: the space only. A mandatory
    kind always leaves at once. ``link`` is a path of the portal. A sender of
    many notices reads everyone's choices once (``deliveries_for``) and passes
    them as ``deliveries``: no query per notice.
    """
    declared = kind_of(kind)
    people = _recipients(users)
    if not people:
        return []
    if deliveries is None or any(user.pk not in deliveries for user in people):
        deliveries = deliveries_for(people, declared)
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=declared.key,
                title=title[:300],
                link=link,
                delivery=deliveries[user.pk],
                created_at=now,
            )
            for user in people
        ]
    )
    # One query for all the mails: written with the notifications, sent after the commit.
    if not is_muted():
        mails = [
            rendered(
                template=mail_template,
                to=[user.email],
                context={**context, "recipient": user},
                attachments=attachments,
            )
            for user in people
            if deliveries[user.pk] == Delivery.IMMEDIATE
        ]
        queue_mails([mail for mail in mails if mail is not None])
    return rows


# --- the in-app list ------------------------------------------------------------------------


def notification_open(*, notification: Notification, user: User) -> Notification:
    """Mark the notification read (once: the first reading is kept)."""
    if notification.user_id != user.pk:
        raise ValidationError("Cette notification ne vous est pas adressée.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notification of the person read; return how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences ----------------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, user: User, deliveries: dict[str, str]) -> None:
    """Keep the person's choice for each kind that concerns them and is not mandatory.

    A mandatory kind, or a kind of another role, is ignored: nobody switches
    off a deposit receipt, even with a forged form.
    """
    for declared in kinds_for(user):
        chosen = deliveries.get(declared.key)
        if declared.mandatory or chosen not in Delivery.values:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=declared.key, defaults={"delivery": chosen}
        )


# --- the daily digest -----------------------------------------------------------------------


@dataclass
class DigestSummary:
    sent: int = 0
    notifications: int = 0
    people: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "{mails}, {items}.".format(
            mails=plural(self.sent, "%(count)s résumé envoyé", "%(count)s résumés envoyés")
            % {"count": self.sent},
            items=plural(
                self.notifications,
                "%(count)s notification regroupée",
                "%(count)s notifications regroupées",
            )
            % {"count": self.notifications},
        )


def _pending_digest() -> QuerySet[Notification]:
    return Notification.objects.filter(delivery=Delivery.DIGEST, digest__isnull=True)


def digests_send(*, now: datetime, dry_run: bool = False) -> DigestSummary:
    """Send each person one mail grouping their notifications waiting for the digest.

    At most one digest per person and day (``DigestMail``): run twice, mail once;
    what arrives after today's digest waits for tomorrow's.
    """
    summary = DigestSummary()
    day = timezone.localdate(now)
    user_ids = sorted(set(_pending_digest().values_list("user_id", flat=True)))
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("email"):
        if dry_run:
            if not DigestMail.objects.filter(user=user, day=day).exists():
                summary.sent += 1
                summary.notifications += _pending_digest().filter(user=user).count()
                summary.people.append(user.email)
            continue
        count = _digest_one(user, day=day, now=now)
        if count:
            summary.sent += 1
            summary.notifications += count
            summary.people.append(user.email)
    return summary


def _digest_one(user: User, *, day, now: datetime) -> int:
    """Record the person's digest of ``day`` and queue its mail; 0 when already sent."""
    try:
        with transaction.atomic():
            digest = DigestMail.objects.create(user=user, day=day, sent_at=now)
            rows = list(
                _pending_digest().filter(user=user).select_for_update().order_by("created_at", "pk")
            )
            if not rows:
                raise _NothingToSend
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(digest=digest)
            send_mail_on_commit(
                template=DIGEST_TEMPLATE,
                to=[user.email],
                context=digest_context(user, rows),
            )
    except IntegrityError:
        # Today's digest already left (another run a moment ago).
        return 0
    except _NothingToSend:
        return 0
    return len(rows)


class _NothingToSend(Exception):
    """Another run took the notifications meanwhile: undo the empty digest."""


def digest_context(user: User, rows: list[Notification]) -> dict:
    """The digest's notifications grouped by kind, in the kinds' order, with full links."""
    groups = []
    for declared in KINDS_BY_KEY.values():
        items = [
            {"title": row.title, "url": absolute_url(row.link), "created_at": row.created_at}
            for row in rows
            if row.kind == declared.key
        ]
        if items:
            groups.append({"label": declared.label, "items": items})
    return {
        "recipient": user,
        "groups": groups,
        "count": len(rows),
        "list_url": absolute_url(reverse("notifications:list")),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }


# --- the outbox of mass mailings ----------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One person of a mailing: the context of their mail and the page it is about."""

    user: User
    context: dict
    link: str


@transaction.atomic
def mailing_compose(
    *,
    kind: str,
    title: str,
    template: str,
    recipients: list[Recipient],
    actor: User | None,
    description: str = "",
    submission_key: UUID | None = None,
) -> Mailing:
    """Write a draft mailing with each recipient's mail rendered, ready to be previewed.

    A person who chose never to receive this kind by mail is left out (a
    mandatory kind reaches everyone).
    """
    if existing := already_created(Mailing, submission_key):
        return existing
    declared = kind_of(kind)
    people = _recipients(recipient.user for recipient in recipients)
    deliveries = deliveries_for(people, declared)
    mailing = Mailing(
        kind=declared.key,
        title=title[:300],
        description=description,
        created_by=actor,
        submission_key=submission_key,
    )
    mailing.full_clean(exclude=["created_by"])
    mailing, created = save_once(mailing)
    if not created:
        return mailing
    messages = []
    for recipient in recipients:
        user = recipient.user
        if user.pk not in deliveries or deliveries[user.pk] == Delivery.NEVER:
            continue
        mail = render_mail(template, {**recipient.context, "recipient": user})
        messages.append(
            OutboxMessage(
                mailing=mailing,
                user=user,
                email=user.email,
                subject=mail.subject[:300],
                text=mail.text,
                html=mail.html,
                link=recipient.link,
            )
        )
    OutboxMessage.objects.bulk_create(messages)
    return mailing


@transaction.atomic
def mailing_send(*, mailing: Mailing, actor: User) -> Mailing:
    """Start sending a draft (once: a second click finds it sending); a task sends the mails."""
    if not mailing.messages.exists():
        raise TransitionRefused("Cet envoi n'a aucun destinataire.")
    sending = transition(MAILING, mailing, "send", actor=actor)
    transaction.on_commit(lambda: send_mailing_task.enqueue(sending.pk))
    return sending


def mailing_cancel(*, mailing: Mailing, actor: User) -> Mailing:
    return transition(MAILING, mailing, "cancel", actor=actor)


@transaction.atomic
def mailing_deliver(*, mailing_id: int) -> Mailing:
    """Queue each message not queued yet and tell each person in the portal, in one go.

    The mails leave from the queue (core.mail) once this is committed, each
    retried while the mail server does not take it: the mailing's page shows
    which are sent, waiting or failed.
    """
    mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
    if mailing.state != MailingState.SENDING:
        return mailing
    messages = list(
        mailing.messages.filter(mail__isnull=True).select_related("user").order_by("pk")
    )
    mails = queue_mails(
        [
            QueuedMail(
                mail=RenderedMail(subject=message.subject, text=message.text, html=message.html),
                to=[message.email],
                template=f"mailing {mailing.pk}",
            )
            for message in messages
        ],
        kept_when_muted=True,
    )
    for message, mail in zip(messages, mails, strict=True):
        message.mail = mail
    OutboxMessage.objects.bulk_update(messages, ["mail"])
    Notification.objects.bulk_create(
        [
            Notification(
                user=message.user,
                kind=mailing.kind,
                title=message.subject,
                link=message.link,
                delivery=Delivery.IMMEDIATE,
            )
            for message in messages
            if message.user is not None
        ]
    )
    return transition(MAILING, mailing, "finish", internal=True)


@task
def send_mailing_task(mailing_id: int) -> None:
    mailing_deliver(mailing_id=mailing_id)


def mail_retry(*, mail: OutgoingMail, actor: User) -> bool:
    """Try a failed mail once more, at once (a coordinator's « Renvoyer »).

    Return False when it was no longer failed (another coordinator was quicker).
    """
    retried = retry_now(mail=mail)
    if retried:
        logger.info("Mail %s retried by user %s", mail.pk, actor.pk)
    return retried
