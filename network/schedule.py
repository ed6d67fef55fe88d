"""The network's periodic job, run by manage.py run_scheduler (core.schedule)."""

from datetime import datetime, timedelta

from core import schedule


def meeting_notices(now: datetime) -> str:
    from network.services.notices import send_meeting_notices

    return str(send_meeting_notices(now))


def register() -> None:
    schedule.register(
        "rencontre-mails",
        meeting_notices,
        every=timedelta(minutes=15),
        description="Rappel avant la rencontre annuelle, supports et attestation après.",
    )
