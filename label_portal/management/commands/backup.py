from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from label_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde la base (pg_dump) et les fichiers déposés dans var/backups/<date>/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="Dossier où créer la sauvegarde datée (par défaut var/backups).",
        )

    def handle(self, *args, output: str, **options):
        try:
            folder = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde écrite dans {folder}")
