"""Convocations: a mail and an .ics invitation to each association and juror.

Sending a session's convocations is recorded by the coordinator's click
(``convocations_request``, a ``ConvocationRun``) and done by a background
task (``convocations_send``): one audition at a time, each in its own
transaction with its progress, so the session page shows « 12 / 35 » and a
task that stops resumes where it was (an association convened is not
convened again). Everything the mails need is read once, before the first.
"""

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import association_members, member_emails
from core.ics import CalendarEvent, build_calendar, event_uid, organizer_email, site_domain
from core.links import absolute_url
from core.once import already_created, save_once
from jury.models import Audition, ConvocationRun, JurySession
from notifications.kinds import kind as kind_of
from notifications.selectors import deliveries_for
from notifications.services import notify

logger = logging.getLogger(__name__)

KIND = "convocation"
# A sending still unfinished this long after it was asked for was cut off (a worker
# stopped mid-way): the next click records a new one, which resumes where it was.
STALLED_AFTER = datetime.timedelta(minutes=30)


def _member_emails(audition: Audition) -> list[str]:
    return member_emails(audition.project.association)


def _where(session: JurySession) -> str:
    return " — ".join(filter(None, [session.place, session.video_url]))


def audition_event(
    audition: Audition, *, cancelled: bool = False, emails: Sequence[str] | None = None
) -> CalendarEvent:
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
        attendee_emails=tuple(_member_emails(audition) if emails is None else emails),
        cancelled=cancelled,
    )


def session_event(
    session: JurySession, jurors: list[str], auditions: list[Audition] | None = None
) -> CalendarEvent:
    if auditions is None:
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


def send_audition_invitation(
    audition: Audition,
    *,
    cancelled: bool = False,
    members: list[User] | None = None,
    deliveries: dict[int, str] | None = None,
) -> None:
    """Convene the project's association (or tell it of a new time, or of the cancellation).

    ``members`` and ``deliveries``, read once for many auditions, spare the queries.
    """
    project = audition.project
    if cancelled:
        title = f"Audition annulée : {project.title}"
    elif audition.ics_sequence > 0:
        title = f"Nouvel horaire d'audition : {project.title}"
    else:
        title = f"Convocation à l'audition : {project.title}"
    if members is None:
        members = list(association_members(project.association))
        emails = None
    else:
        emails = sorted(user.email for user in members if user.is_active)
    notify(
        kind=KIND,
        users=members,
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
        attachments=[_ics(audition_event(audition, cancelled=cancelled, emails=emails))],
        deliveries=deliveries,
    )


# --- A session's convocations, in the background -------------------------------------------


def _to_convene(session: JurySession):
    return session.auditions.filter(convened_at__isnull=True)


@transaction.atomic
def convocations_request(
    *, session: JurySession, actor: User, submission_key=None
) -> tuple[ConvocationRun, bool]:
    """Record a sending of the convocations and queue it; return it and whether it is new.

    The same form sent twice (a double click), or a click while a sending is
    still running, gives the sending already recorded: each mail leaves once.
    The session's invitation gets a higher SEQUENCE when it was sent before.
    """
    earlier = already_created(ConvocationRun, submission_key)
    if earlier is not None:
        return earlier, False
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    running = locked.convocation_runs.filter(finished_at__isnull=True).first()
    if running is not None:
        if running.created_at > timezone.now() - STALLED_AFTER:
            return running, False
        ConvocationRun.objects.filter(pk=running.pk).update(
            error="Interrompu", finished_at=timezone.now()
        )
    if locked.convened_at:
        locked.ics_sequence += 1
    locked.convened_at = timezone.now()
    locked.save(update_fields=["convened_at", "ics_sequence"])
    run, created = save_once(
        ConvocationRun(
            session=locked,
            requested_by=actor,
            total=_to_convene(locked).count() + locked.members.count(),
            submission_key=submission_key,
        )
    )
    if created:
        transaction.on_commit(lambda: send_convocations_task.enqueue(run.pk))
    return run, created


def _progress(run: ConvocationRun, done: int, **fields) -> None:
    ConvocationRun.objects.filter(pk=run.pk).update(done=done, **fields)


def _auditions_with_members(session: JurySession) -> list[Audition]:
    """The session's auditions in their order, each association's members read with them."""
    return list(
        session.auditions.select_related("session", "project__association")
        .prefetch_related(
            Prefetch(
                "project__association__memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__last_name", "user__first_name"
                ),
            )
        )
        .order_by("position")
    )


def _members(audition: Audition) -> list[User]:
    return [m.user for m in audition.project.association.memberships.all()]


def convocations_send(run_id: int) -> None:
    """Send a recorded sending: the associations not convened yet, then every juror."""
    run = ConvocationRun.objects.select_related("session").filter(pk=run_id).first()
    if run is None or run.is_finished:
        return
    session = run.session
    try:
        auditions = _auditions_with_members(session)
        pending = [audition for audition in auditions if audition.convened_at is None]
        jurors = list(session.members.select_related("user").order_by("pk"))
        people = [user for audition in pending for user in _members(audition)]
        people += [member.user for member in jurors]
        deliveries = deliveries_for(people, kind_of(KIND))
        done = run.done
        total = done + len(pending) + len(jurors)
        _progress(run, done, total=total)
        for audition in pending:
            with transaction.atomic():
                audition.convened_at = session.convened_at or timezone.now()
                audition.save(update_fields=["convened_at"])
                send_audition_invitation(
                    audition, members=_members(audition), deliveries=deliveries
                )
                done += 1
                _progress(run, done)
        emails = [member.user.email for member in jurors]
        calendar = _ics(session_event(session, emails, auditions))
        with transaction.atomic():
            for member in jurors:
                notify(
                    kind=KIND,
                    users=[member.user],
                    title=f"Convocation au jury : {session.title}",
                    link=session.get_absolute_url(),
                    mail_template="jury/email/convocation_juror",
                    context={
                        "session": session,
                        "member": member,
                        "auditions": auditions,
                        "session_url": absolute_url(session),
                        "site_url": settings.SITE_URL,
                    },
                    attachments=[calendar],
                    deliveries=deliveries,
                )
            _progress(run, done + len(jurors), finished_at=timezone.now())
    except Exception as error:
        logger.exception("Convocations %s stopped", run_id)
        ConvocationRun.objects.filter(pk=run.pk).update(
            error=type(error).__name__, finished_at=timezone.now()
        )


@task
def send_convocations_task(run_id: int) -> None:
    convocations_send(run_id)
