from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from laureates.services.archives import ArchiveFileError, import_archive


class Command(BaseCommand):
    help = (
        "Importe les lauréats des éditions passées depuis un fichier CSV "
        "(year,association,commune,title,pitch,theme,amount,source). "
        "Relancer l'import ne crée pas de doublon : il met à jour ce qui a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Le fichier CSV (UTF-8), par exemple laureates/data/laureates.csv."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifier le fichier et compter sans rien enregistrer.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publier la vitrine des éditions créées par l'import.",
        )

    def handle(self, *args, file, dry_run=False, publish=False, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError:
            raise CommandError(f"Fichier introuvable ou illisible : {path}") from None
        try:
            report = import_archive(data=data, publish=publish, dry_run=dry_run)
        except ArchiveFileError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
