"""Send templated mails after the transaction commits.

Each mail is a pair of templates, ``<name>_subject.txt`` and ``<name>_body.txt``.
A mail that fails to leave is logged; it never undoes the change that caused it.
Mails that anyone can cause from a public form leave from a background task
(``send_mail_in_background``), so the page answers as fast whether or not a
mail leaves: its timing tells nobody who has an account.
"""

import contextlib
import contextvars
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
_muted = contextvars.ContextVar("mail_muted", default=False)


@contextlib.contextmanager
def muted():
    """Send no mail inside this block (the demo seed replays a year of events)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    # In French even from a process that runs without a language (a worker,
    # a management command): « 29 novembre », never « 29 November ».
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.split()), body


def send_mail_now(
    *, template: str, to: list[str], context: dict, attachments: list | None = None
) -> bool:
    """Send a templated mail; return False (and log) when it could not leave."""
    subject, body = render_mail(template, context)
    return _send(subject=subject, body=body, to=to, attachments=attachments, template=template)


def _send(
    *, subject: str, body: str, to: list[str], attachments: list | None, template: str
) -> bool:
    message = EmailMessage(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        attachments=attachments or [],
    )
    try:
        message.send()
    except Exception:
        logger.exception("Mail %s to %s could not be sent", template, to)
        return False
    return True


def send_mail_on_commit(
    *, template: str, to: list[str], context: dict, attachments: list | None = None
) -> None:
    """Send the mail once the current transaction has committed."""
    if _muted.get():
        return
    transaction.on_commit(
        lambda: send_mail_now(template=template, to=to, context=context, attachments=attachments)
    )


@task
def send_rendered_mail_task(*, subject: str, body: str, to: list[str], template: str) -> None:
    _send(subject=subject, body=body, to=to, attachments=None, template=template)


def send_mail_in_background(*, template: str, to: list[str], context: dict) -> None:
    """Render the mail now; a background task sends it once the transaction has committed."""
    if _muted.get():
        return
    subject, body = render_mail(template, context)
    transaction.on_commit(
        lambda: send_rendered_mail_task.enqueue(
            subject=subject, body=body, to=list(to), template=template
        )
    )
