"""The running order: the shortlisted projects' slots, their times and the associations' answers."""

import datetime

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from core import ordering
from jury import convocations
from jury.enums import Attendance
from jury.models import Audition, Evaluation, JurySession
from jury.services._common import JuryRefused, _require_coordinator, _require_session_not_closed
from submissions.enums import ProjectState
from submissions.models import Project


def _reschedule(session: JurySession) -> None:
    """Lay the auditions one after the other; a convened association gets the new time."""
    moment = session.starts_at
    auditions = session.auditions.select_for_update().select_related("project__association")
    for audition in auditions.order_by("position", "pk"):
        if audition.starts_at != moment:
            audition.starts_at = moment
            if audition.convened_at:
                audition.ics_sequence += 1
            audition.save(update_fields=["starts_at", "ics_sequence"])
            if audition.convened_at:
                convocations.send_audition_invitation(audition)
        moment = moment + datetime.timedelta(
            minutes=audition.duration_minutes + audition.break_after_minutes
        )


@transaction.atomic
def audition_add(
    *, session: JurySession, project: Project, actor: User, duration_minutes: int = 20
) -> Audition:
    _require_coordinator(actor)
    _require_session_not_closed(session)
    if project.state != ProjectState.SHORTLISTED or project.edition_id != session.edition_id:
        raise JuryRefused("Seul un projet retenu pour l'audition de cette édition peut passer.")
    if Audition.objects.filter(project=project).exists():
        raise JuryRefused("Ce projet a déjà sa place dans une séance.")
    last = session.auditions.aggregate(last=Max("position"))["last"]
    audition = Audition.objects.create(
        session=session,
        project=project,
        position=0 if last is None else last + 1,
        duration_minutes=duration_minutes,
        starts_at=session.starts_at,
    )
    _reschedule(session)
    audition.refresh_from_db()
    return audition


@transaction.atomic
def audition_update(
    *, audition: Audition, actor: User, duration_minutes: int, break_after_minutes: int
) -> Audition:
    _require_coordinator(actor)
    _require_session_not_closed(audition.session)
    # The audition's own end moves with its duration: a convened one is sent again.
    resend = bool(audition.convened_at) and audition.duration_minutes != duration_minutes
    if resend:
        audition.ics_sequence += 1
    audition.duration_minutes = duration_minutes
    audition.break_after_minutes = break_after_minutes
    audition.full_clean()
    audition.save(update_fields=["duration_minutes", "break_after_minutes", "ics_sequence"])
    if resend:
        convocations.send_audition_invitation(audition)
    _reschedule(audition.session)
    return audition


@transaction.atomic
def audition_move(*, audition: Audition, actor: User, offset: int) -> None:
    """Swap an audition with the one before (-1) or after (+1)."""
    _require_coordinator(actor)
    session = audition.session
    _require_session_not_closed(session)
    ordering.move(session.auditions.all(), audition, offset)
    _reschedule(session)


@transaction.atomic
def audition_remove(*, audition: Audition, actor: User) -> None:
    _require_coordinator(actor)
    _require_session_not_closed(audition.session)
    if Evaluation.objects.filter(
        project=audition.project, member__session=audition.session
    ).exists():
        raise JuryRefused("Des jurés ont commencé à évaluer ce projet : il reste dans la séance.")
    session = audition.session
    if audition.convened_at:
        audition.ics_sequence += 1
        convocations.send_audition_invitation(audition, cancelled=True)
    audition.delete()
    _reschedule(session)


@transaction.atomic
def attendance_confirm(
    *, audition: Audition, actor: User, attending: bool, presenters: str
) -> Audition:
    """The association says whether it comes, and who will present."""
    if not audition.project.association.memberships.filter(user=actor).exists():
        raise JuryRefused("Seule l'association du projet répond à la convocation.")
    _require_session_not_closed(audition.session)
    audition.attendance = Attendance.CONFIRMED if attending else Attendance.DECLINED
    audition.presenters = presenters.strip()
    audition.full_clean()
    audition.save(update_fields=["attendance", "presenters"])
    return audition
