"""The privacy app's periodic job, run by manage.py run_scheduler (core.schedule)."""

from datetime import datetime, timedelta

from core import schedule


def apply_retention(now: datetime) -> str:
    from privacy import retention

    return retention.report(retention.apply_retention(now=now), dry_run=False)


def register() -> None:
    schedule.register(
        "durees-de-conservation",
        apply_retention,
        every=timedelta(days=1),
        description="Efface ou anonymise les données personnelles au-delà de leur durée "
        "de conservation (page « Données personnelles »).",
    )
