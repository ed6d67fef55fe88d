"""Apply the retention periods of /donnees-personnelles/ (privacy.retention)."""

from django.core.management.base import BaseCommand

from privacy import retention


class Command(BaseCommand):
    help = (
        "Efface ou anonymise les données personnelles au-delà de leur durée de conservation ; "
        "--dry-run dit seulement ce qui serait traité."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien modifier.")

    def handle(self, *args, dry_run: bool = False, **options):
        outcomes = retention.apply_retention(dry_run=dry_run)
        self.stdout.write(retention.report(outcomes, dry_run=dry_run))
