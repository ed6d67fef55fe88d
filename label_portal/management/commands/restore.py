from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from label_portal.backup import BackupError, restore


class Command(BaseCommand):
    help = "Remet une sauvegarde (base et fichiers) à la place des données actuelles."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Le dossier de la sauvegarde (var/backups/<date>).")
        parser.add_argument(
            "--no-input", action="store_true", help="Ne pas demander de confirmation."
        )

    def handle(self, *args, folder: str, no_input: bool, **options):
        if not no_input:
            answer = input(
                "La base et les fichiers actuels seront remplacés par la sauvegarde. "
                "Tapez « oui » pour continuer : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée.")
        try:
            restore(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde {folder} restaurée.")
