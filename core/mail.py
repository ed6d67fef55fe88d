"""Templated mails, and the one queue every mail of the portal leaves through.

Each mail is a pair of templates, ``<name>_subject.txt`` and ``<name>_body.txt``.
Every mail leaves with two parts: the plain text (the body, then the portal's
one signature, ``email/signature.txt``) and an HTML part made by one layout
(``email/base.html``) from the same text, escaped, in paragraphs, its
addresses as links; a mail that needs its own HTML has a ``<name>_body.html``.

No mail is lost when the mail server is down: ``send_mail_on_commit`` (and
``queue_mails`` for a batch) renders the mail and writes it as an
``OutgoingMail`` row in the transaction that causes it, so the mail exists
exactly when the change does. Once committed, a background task sends it. A
failed try leaves it waiting: the scheduled job ``mails-en-attente`` tries it
again after 1 min, 5 min, 30 min, 2 h, 6 h, then 24 h; after ``MAX_ATTEMPTS``
tries it is « failed », listed for the coordination (« Mails en attente » in
the outbox), which may try it again. The task and the job take each row with
``SELECT … FOR UPDATE SKIP LOCKED``: several workers never send a mail twice.
A mail never undoes the change that caused it: a template that fails to
render is logged, the change stands.

Mails to a person with an account are notifications (``notifications.services.notify``):
they follow the person's choices. This module sends to addresses.
"""

import base64
import contextlib
import contextvars
import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from core import schedule
from core.models import MailStatus, OutgoingMail
from core.text import plural

logger = logging.getLogger(__name__)
_muted = contextvars.ContextVar("mail_muted", default=False)

SIGNATURE_TEMPLATE = "email/signature.txt"
LAYOUT_TEMPLATE = "email/base.html"


@contextlib.contextmanager
def muted():
    """Send no mail inside this block (the demo seed replays a year of events)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Whether mails are muted here (the demo seed): the notifications app asks too."""
    return _muted.get()


@dataclass(frozen=True)
class RenderedMail:
    """A mail ready to leave: its subject, its plain text and its HTML."""

    subject: str
    text: str
    html: str


def text_to_html(text: str) -> SafeString:
    """Escape ``text`` and lay it out as paragraphs, its addresses as links."""
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    rendered = []
    for paragraph in paragraphs:
        linked = urlize(paragraph, autoescape=True)
        rendered.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return mark_safe("\n".join(rendered))


def render_mail(template: str, context: dict[str, Any]) -> RenderedMail:
    """Render the mail ``template`` (subject, text with signature, HTML)."""
    context = {"site_url": settings.SITE_URL, **context}
    # In French even from a process that runs without a language (a worker,
    # a management command): « 29 novembre », never « 29 November ».
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
        signature = render_to_string(SIGNATURE_TEMPLATE, context).strip()
        try:
            content = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:
            content = text_to_html(body)
        html = render_to_string(
            LAYOUT_TEMPLATE,
            {
                **context,
                "subject": subject,
                "content": mark_safe(content),
                "signature": text_to_html(signature),
            },
        )
    return RenderedMail(subject=subject, text=f"{body}\n\n-- \n{signature}\n", html=html)


# --- the queue ------------------------------------------------------------------------------

# The wait after the 1st, 2nd… failed try; the try after the last one is the last.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=24),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How many mails one run of the job sends at most (the next run, a minute later, goes on).
BATCH = 500
JOB_NAME = "mails-en-attente"
CLOCK_SLACK = timedelta(seconds=30)
# Failures in a row after which a run of the job stops: the server is down.
STOP_AFTER = 3


@dataclass(frozen=True)
class QueuedMail:
    """A rendered mail and where it goes, before it is written in the queue."""

    mail: RenderedMail
    to: list[str]
    template: str = ""
    attachments: list = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)


def _stored_attachments(attachments: Iterable) -> list[dict]:
    stored = []
    for filename, content, mimetype in attachments:
        data = content.encode() if isinstance(content, str) else bytes(content)
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(data).decode("ascii"),
            }
        )
    return stored


def _row(item: QueuedMail, now: datetime) -> OutgoingMail:
    return OutgoingMail(
        to=list(item.to),
        reply_to=list(item.reply_to),
        subject=item.mail.subject[:300],
        text=item.mail.text,
        html=item.mail.html,
        attachments=_stored_attachments(item.attachments),
        template=item.template[:200],
        created_at=now,
        next_attempt_at=now,
    )


def queue_mails(items: list[QueuedMail], *, kept_when_muted: bool = False) -> list[OutgoingMail]:
    """Write the mails in the queue (one query); a task sends them once committed.

    Muted (the demo seed): nothing leaves, and nothing is written unless
    ``kept_when_muted`` (a mailing's record of what left): then noted as sent.
    """
    if not items:
        return []
    now = timezone.now()
    if _muted.get():
        if not kept_when_muted:
            return []
        rows = [_row(item, now) for item in items]
        for row in rows:
            row.status, row.sent_at = MailStatus.SENT, now
        return OutgoingMail.objects.bulk_create(rows)
    rows = OutgoingMail.objects.bulk_create([_row(item, now) for item in items])
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: send_queued_mails_task.enqueue(ids), robust=True)
    return rows


def queue_mail(
    *,
    mail: RenderedMail,
    to: list[str],
    template: str = "",
    attachments: list | None = None,
    reply_to: list[str] | None = None,
) -> OutgoingMail | None:
    """Write one rendered mail in the queue; None when mails are muted."""
    rows = queue_mails(
        [
            QueuedMail(
                mail=mail,
                to=list(to),
                template=template,
                attachments=list(attachments or []),
                reply_to=list(reply_to or []),
            )
        ]
    )
    return rows[0] if rows else None


def send_mail_on_commit(
    *, template: str, to: list[str], context: dict, attachments: list | None = None
) -> OutgoingMail | None:
    """Render the mail and queue it in the current transaction: it leaves once committed.

    A template that fails to render is logged (with its trace) and the change
    that caused the mail stands: None.
    """
    if _muted.get():
        return None
    item = rendered(template=template, to=to, context=context, attachments=attachments)
    return queue_mails([item])[0] if item else None


def rendered(
    *, template: str, to: list[str], context: dict, attachments: list | None = None
) -> QueuedMail | None:
    """Render a mail ready to queue; None (and logged with its trace) when it fails to render."""
    try:
        mail = render_mail(template, context)
    except Exception:
        logger.exception("Mail %s to %s could not be rendered", template, to)
        return None
    return QueuedMail(
        mail=mail, to=list(to), template=template, attachments=list(attachments or [])
    )


def send_mail_in_background(*, template: str, to: list[str], context: dict) -> None:
    """Queue a mail caused from a public form.

    Every mail leaves from a background task, after the commit: the page
    answers as fast whether or not a mail leaves, and its timing tells nobody
    who has an account.
    """
    send_mail_on_commit(template=template, to=to, context=context)


def _message(row: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + row.subject,
        body=row.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(row.to),
        reply_to=list(row.reply_to) or None,
        attachments=[
            (item["filename"], base64.b64decode(item["content"]), item["mimetype"])
            for item in row.attachments
        ],
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    return message


def _permanent(error: Exception) -> bool:
    """Whether trying again cannot help: every recipient refused for good (a 5xx code)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return False


def _describe(error: Exception) -> str:
    return f"{type(error).__name__} : {error}".strip()[:1000]


def _try(row: OutgoingMail, now: datetime) -> None:
    """Send the locked row once; note the outcome on it (sent, waiting again, or failed)."""
    row.attempts += 1
    row.last_attempt_at = now
    try:
        _message(row).send()
    except Exception as error:
        row.last_error = _describe(error)
        if row.attempts >= MAX_ATTEMPTS or _permanent(error):
            row.status = MailStatus.FAILED
            logger.error(
                "Mail %s to %s failed for good after %s tries: %s",
                row.template or row.subject,
                row.to,
                row.attempts,
                row.last_error,
            )
        else:
            row.next_attempt_at = now + RETRY_DELAYS[row.attempts - 1]
            logger.warning(
                "Mail %s to %s not sent (try %s), next try at %s: %s",
                row.template or row.subject,
                row.to,
                row.attempts,
                row.next_attempt_at.isoformat(),
                row.last_error,
            )
    else:
        row.status = MailStatus.SENT
        row.sent_at = now
        row.last_error = ""
    row.save(
        update_fields=[
            "status",
            "attempts",
            "last_attempt_at",
            "last_error",
            "next_attempt_at",
            "sent_at",
        ]
    )


def _due(now: datetime) -> QuerySet[OutgoingMail]:
    return OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)


def _send_next(queryset: QuerySet[OutgoingMail], now: datetime) -> OutgoingMail | None:
    """Take the first row of ``queryset`` nobody else holds, and try it; None when none is left.

    The row stays locked while it is sent: another worker skips it, and finds
    it sent (or waiting for a later try) once this one commits.
    """
    with transaction.atomic():
        row = queryset.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk").first()
        if row is None:
            return None
        _try(row, now)
    return row


def send_queued(ids: list[int]) -> int:
    """Send the waiting mails among ``ids`` whose time has come; return how many left.

    The task that sends a mail is queued when the mail becomes due: a few
    seconds of difference between two servers' clocks do not hold it back.
    """
    sent = 0
    for pk in ids:
        now = timezone.now()
        row = _send_next(_due(now + CLOCK_SLACK).filter(pk=pk), now)
        sent += row is not None and row.status == MailStatus.SENT
    return sent


@task
def send_queued_mails_task(ids: list[int]) -> None:
    send_queued(ids)


@dataclass
class QueueSummary:
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    # The server refused several mails in a row: the others wait for the next run.
    stopped: bool = False

    def __str__(self) -> str:
        text = "{sent}, {waiting}, {failed}.".format(
            sent=plural(self.sent, "%(count)s mail envoyé", "%(count)s mails envoyés")
            % {"count": self.sent},
            waiting=plural(
                self.waiting, "%(count)s encore en attente", "%(count)s encore en attente"
            )
            % {"count": self.waiting},
            failed=plural(self.failed, "%(count)s abandonné", "%(count)s abandonnés")
            % {"count": self.failed},
        )
        if self.stopped:
            text += " Le serveur de mail ne répond pas : les autres attendent le prochain passage."
        return text


def send_due(*, now: datetime, limit: int = BATCH) -> QueueSummary:
    """Try every waiting mail whose time has come (at most ``limit``), each once.

    After ``STOP_AFTER`` failures in a row the server is taken as down: the run
    stops (each try may wait for the connection's timeout, and the scheduler's
    other jobs wait behind it); the mails not tried are due at the next run.
    """
    summary = QueueSummary()
    tried: set[int] = set()
    in_a_row = 0
    while len(tried) < limit:
        row = _send_next(_due(now).exclude(pk__in=tried), now)
        if row is None:
            break
        tried.add(row.pk)
        if row.status == MailStatus.SENT:
            summary.sent += 1
            in_a_row = 0
            continue
        if row.status == MailStatus.FAILED:
            summary.failed += 1
        else:
            summary.waiting += 1
        in_a_row += 1
        if in_a_row >= STOP_AFTER:
            summary.stopped = _due(now).exclude(pk__in=tried).exists()
            break
    return summary


def retry_job(now: datetime) -> str:
    return "Mails en attente : " + str(send_due(now=now))


@transaction.atomic
def retry_now(*, mail: OutgoingMail) -> bool:
    """Put a failed mail back in the queue for one more try, at once (after the commit).

    Return False when it was not failed (already put back by someone else, or sent).
    """
    locked = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if locked.status != MailStatus.FAILED:
        return False
    locked.status = MailStatus.QUEUED
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(lambda: send_queued_mails_task.enqueue([locked.pk]), robust=True)
    return True


def register_jobs() -> None:
    schedule.register(
        JOB_NAME,
        retry_job,
        every=timedelta(minutes=1),
        description=(
            "Envoie les mails en attente : ceux qu'un serveur de mail indisponible a "
            "retenus, essayés de nouveau de plus en plus espacés."
        ),
    )
