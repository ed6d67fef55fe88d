"""The notifications' periodic job, run by manage.py run_scheduler (core.schedule)."""

from datetime import datetime, timedelta

from django.utils import timezone

from core import schedule

# The daily digest leaves in the first run after this hour (Paris time), once a day.
DIGEST_HOUR = 7


def daily_digests(now: datetime) -> str:
    from notifications.services import digests_send

    if timezone.localtime(now).hour < DIGEST_HOUR:
        return f"Résumés quotidiens : envoyés à partir de {DIGEST_HOUR} h."
    return "Résumés quotidiens : " + str(digests_send(now=now))


def register() -> None:
    # Hourly: the digest of the day leaves in the first run after DIGEST_HOUR, and once a
    # day only (DigestMail rows, one per person and day).
    schedule.register(
        "resumes-quotidiens",
        daily_digests,
        every=timedelta(hours=1),
        description="Le résumé quotidien des notifications de ceux qui l'ont choisi.",
    )
