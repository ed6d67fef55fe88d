"""Send templated mails after the transaction commits.

Each mail is a pair of templates, ``<name>_subject.txt`` and ``<name>_body.txt``.
Every mail leaves with two parts: the plain text (the body, then the portal's
one signature, ``email/signature.txt``) and an HTML part made by one layout
(``email/base.html``) from the same text, escaped, in paragraphs, its
addresses as links; a mail that needs its own HTML has a ``<name>_body.html``.
A mail that fails to leave is logged; it never undoes the change that caused it.
Mails that anyone can cause from a public form leave from a background task
(``send_mail_in_background``), so the page answers as fast whether or not a
mail leaves: its timing tells nobody who has an account.

Mails to a person with an account are notifications (``notifications.services.notify``):
they follow the person's choices. This module sends to addresses.
"""

import contextlib
import contextvars
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

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


def send_rendered(
    *, mail: RenderedMail, to: list[str], attachments: list | None = None, template: str = ""
) -> bool:
    """Send a rendered mail now; return False (and log) when it could not leave."""
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + mail.subject,
        body=mail.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        attachments=attachments or [],
    )
    message.attach_alternative(mail.html, "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Mail %s to %s could not be sent", template or mail.subject, to)
        return False
    return True


def send_mail_now(
    *, template: str, to: list[str], context: dict, attachments: list | None = None
) -> bool:
    """Send a templated mail; return False (and log) when it could not leave."""
    return send_rendered(
        mail=render_mail(template, context), to=to, attachments=attachments, template=template
    )


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
def send_rendered_mail_task(
    *, subject: str, text: str, html: str, to: list[str], template: str
) -> None:
    send_rendered(
        mail=RenderedMail(subject=subject, text=text, html=html), to=to, template=template
    )


def send_mail_in_background(*, template: str, to: list[str], context: dict) -> None:
    """Render the mail now; a background task sends it once the transaction has committed."""
    if _muted.get():
        return
    mail = render_mail(template, context)
    transaction.on_commit(
        lambda: send_rendered_mail_task.enqueue(
            subject=mail.subject, text=mail.text, html=mail.html, to=list(to), template=template
        )
    )
