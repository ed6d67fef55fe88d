"""The meeting's scheduled mails: the reminder before it, the material after it.

``send_meeting_notices(now)`` is a job of the scheduler (core.schedule,
registered in network.apps). Each mail is recorded as a ``RegistrationNotice``
row, unique per registration and kind, in the same transaction that queues
the mail after the commit: a second run, or a second scheduler, sends nothing
more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.mail import send_mail_on_commit
from core.text import plural
from network import mails
from network.enums import SEATED_STATES, MeetingState, NoticeKind, RegistrationState
from network.models import Registration, RegistrationNotice


@dataclass
class NoticeSummary:
    reminders: int = 0
    followups: int = 0

    def __str__(self) -> str:
        return "rencontre annuelle : {reminders}, {followups}.".format(
            reminders=plural(self.reminders, "%(count)s rappel envoyé", "%(count)s rappels envoyés")
            % {"count": self.reminders},
            followups=plural(
                self.followups,
                "%(count)s mail d'après-rencontre envoyé",
                "%(count)s mails d'après-rencontre envoyés",
            )
            % {"count": self.followups},
        )


def send_meeting_notices(now: datetime) -> NoticeSummary:
    """Send the reminders and the after-meeting mails that are due at ``now``, each once."""
    summary = NoticeSummary()
    for registration in _due_reminders(now):
        if _notify(registration, NoticeKind.REMINDER, now=now):
            summary.reminders += 1
    for registration in _due_followups(now):
        if _notify(registration, NoticeKind.FOLLOWUP, now=now):
            summary.followups += 1
    return summary


def _due_reminders(now: datetime):
    """People with a seat at a meeting starting within MEETING_REMINDER_DAYS, not reminded."""
    horizon = now + timedelta(days=settings.MEETING_REMINDER_DAYS)
    return (
        Registration.objects.filter(
            meeting__state=MeetingState.PUBLISHED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=horizon,
            state__in=SEATED_STATES,
        )
        .exclude(notices__kind=NoticeKind.REMINDER)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )


def _due_followups(now: datetime):
    """The people who attended a meeting ended recently, once its material is on its page
    (or MEETING_FOLLOWUP_WAIT_DAYS after its end without material), not written to yet."""
    oldest = now - timedelta(days=settings.MEETING_FOLLOWUP_WITHIN_DAYS)
    waited = now - timedelta(days=settings.MEETING_FOLLOWUP_WAIT_DAYS)
    return (
        Registration.objects.filter(
            meeting__state=MeetingState.PUBLISHED,
            meeting__ends_at__lte=now,
            meeting__ends_at__gt=oldest,
            state=RegistrationState.ATTENDED,
        )
        .exclude(meeting__material="", meeting__ends_at__gt=waited)
        .exclude(notices__kind=NoticeKind.FOLLOWUP)
        .select_related("meeting")
        .order_by("meeting__ends_at", "pk")
    )


def _notify(registration: Registration, kind: str, *, now: datetime) -> bool:
    """Record the notice and queue its mail in one transaction; False when already sent."""
    try:
        with transaction.atomic():
            RegistrationNotice.objects.create(registration=registration, kind=kind, sent_at=now)
            if kind == NoticeKind.REMINDER:
                _send_reminder(registration, now=now)
            else:
                _send_followup(registration)
    except IntegrityError:
        # Another run sent it a moment ago.
        return False
    return True


def _send_reminder(registration: Registration, *, now: datetime) -> None:
    meeting = registration.meeting
    send_mail_on_commit(
        template="network/email/meeting_reminder",
        to=[registration.email],
        context={
            "registration": registration,
            "registration_url": mails.registration_url(registration),
            "meeting": meeting,
            "programme": list(meeting.programme.all()),
            "days_left": (timezone.localdate(meeting.starts_at) - timezone.localdate(now)).days,
        },
        attachments=[mails.ics_file(registration), mails.qr_file(registration)],
    )


def _send_followup(registration: Registration) -> None:
    meeting = registration.meeting
    send_mail_on_commit(
        template="network/email/meeting_followup",
        to=[registration.email],
        context={
            "registration": registration,
            "meeting": meeting,
            "certificate_url": mails.registration_url(
                registration, "network:attendance_certificate"
            ),
        },
    )
