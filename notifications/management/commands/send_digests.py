"""Send the daily digests now (the scheduler does it every morning)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import digests_send


class Command(BaseCommand):
    help = (
        "Envoie le résumé quotidien des notifications à ceux qui l'ont choisi (une fois par jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Dire à qui partiraient les résumés, sans envoyer.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        summary = digests_send(now=timezone.now(), dry_run=dry_run)
        prefix = "Simulation : " if dry_run else ""
        self.stdout.write(f"{prefix}{summary}")
        for email in summary.people:
            self.stdout.write(f"  {email}")
