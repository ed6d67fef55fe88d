"""The laureates' periodic job, run by manage.py run_scheduler (core.schedule)."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from core import schedule
from core.text import plural


def describe(summary, *, day: date, dry_run: bool = False) -> str:
    """The French summary of a run of the follow-up reminders (a ``ReminderSummary``)."""
    verb = "à envoyer" if dry_run else plural(summary.sent, "envoyé", "envoyés")
    return (
        "Rappels de bilans du {day} : {count} {verb} ({before} avant l'échéance, "
        "{late} en retard){suffix}.".format(
            day=date_format(day, "j F Y"),
            count=f"{summary.sent} {plural(summary.sent, 'mail', 'mails')}",
            verb=verb,
            before=summary.before,
            late=summary.late,
            suffix=" (simulation)" if dry_run else "",
        )
    )


def followup_reminders(now: datetime) -> str:
    from laureates.services.followup import send_followup_reminders

    today = timezone.localdate(now)
    return describe(send_followup_reminders(today=today), day=today)


def register() -> None:
    # Hourly: the reminder of the day leaves in the first hour of the day, and at once
    # when the scheduler starts; each reminder once (ReportReminder rows).
    schedule.register(
        "rappels-bilans",
        followup_reminders,
        every=timedelta(hours=1),
        description="Rappels des bilans des lauréats avant l'échéance et en retard.",
    )
