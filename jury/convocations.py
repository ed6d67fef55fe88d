"""Convocations: a mail and an .ics invitation to each association and juror."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import association_members, member_emails
from core.ics import CalendarEvent, build_calendar, event_uid, organizer_email, site_domain
from core.links import absolute_url
from jury.models import Audition, JurySession
from notifications.services import notify


def _member_emails(audition: Audition) -> list[str]:
    return member_emails(audition.project.association)


def _where(session: JurySession) -> str:
    return " — ".join(filter(None, [session.place, session.video_url]))


def audition_event(audition: Audition, *, cancelled: bool = False) -> CalendarEvent:
    session = audition.session
    return CalendarEvent(
        uid=event_uid("audition", audition.pk, site_domain()),
        sequence=audition.ics_sequence,
        start=audition.starts_at,
        end=audition.starts_at + datetime.timedelta(minutes=audition.duration_minutes),
        summary=f"Audition « {audition.project.title} » — Label Actions Innovantes",
        description="Présentation du projet devant le jury, puis questions du jury.",
        location=_where(session),
        url=absolute_url(reverse("jury:audition_reply", args=[audition.pk])),
        organizer_email=organizer_email(),
        attendee_emails=tuple(_member_emails(audition)),
        cancelled=cancelled,
    )


def session_event(session: JurySession, jurors: list[str]) -> CalendarEvent:
    auditions = list(session.auditions.order_by("position"))
    end = session.starts_at + datetime.timedelta(hours=2)
    if auditions:
        last = auditions[-1]
        end = last.starts_at + datetime.timedelta(minutes=last.duration_minutes)
    return CalendarEvent(
        uid=event_uid("jury-session", session.pk, site_domain()),
        sequence=session.ics_sequence,
        start=session.starts_at,
        end=end,
        summary=f"{session.title} — jury du Label Actions Innovantes",
        description="Auditions des projets retenus puis délibération.",
        location=_where(session),
        url=absolute_url(session),
        organizer_email=organizer_email(),
        attendee_emails=tuple(jurors),
    )


def _ics(event: CalendarEvent) -> tuple[str, bytes, str]:
    return ("invitation.ics", build_calendar(event), "text/calendar")


def send_audition_invitation(audition: Audition, *, cancelled: bool = False) -> None:
    project = audition.project
    if cancelled:
        title = f"Audition annulée : {project.title}"
    elif audition.ics_sequence > 0:
        title = f"Nouvel horaire d'audition : {project.title}"
    else:
        title = f"Convocation à l'audition : {project.title}"
    notify(
        kind="convocation",
        users=association_members(project.association),
        title=title,
        link=reverse("jury:audition_reply", args=[audition.pk]),
        mail_template="jury/email/convocation_cancelled" if cancelled else "jury/email/convocation",
        context={
            "audition": audition,
            "session": audition.session,
            "reply_url": absolute_url(reverse("jury:audition_reply", args=[audition.pk])),
            "project_url": absolute_url(audition.project),
            "update": audition.ics_sequence > 0,
        },
        attachments=[_ics(audition_event(audition, cancelled=cancelled))],
    )


@transaction.atomic
def send_all(*, session: JurySession) -> int:
    """Convene the associations not convened yet, and every juror; return the mails sent.

    An association already convened is not sent its convocation again: every
    change of its time already went to it (``services.auditions._reschedule``), and a
    second « Nouvel horaire » for the same change would only confuse it.
    """
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    now = timezone.now()
    if locked.convened_at:
        locked.ics_sequence += 1
    locked.convened_at = now
    locked.save(update_fields=["convened_at", "ics_sequence"])
    auditions = list(locked.auditions.select_related("project__association").order_by("position"))
    convened = 0
    for audition in auditions:
        if audition.convened_at:
            continue
        audition.convened_at = now
        audition.save(update_fields=["convened_at"])
        send_audition_invitation(audition)
        convened += 1
    jurors = list(locked.members.select_related("user"))
    emails = [member.user.email for member in jurors]
    for member in jurors:
        notify(
            kind="convocation",
            users=[member.user],
            title=f"Convocation au jury : {locked.title}",
            link=locked.get_absolute_url(),
            mail_template="jury/email/convocation_juror",
            context={
                "session": locked,
                "member": member,
                "auditions": auditions,
                "session_url": absolute_url(locked),
                "site_url": settings.SITE_URL,
            },
            attachments=[_ics(session_event(locked, emails))],
        )
    return convened + len(jurors)
