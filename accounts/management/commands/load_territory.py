from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.territory import load_territory


class Command(BaseCommand):
    help = "Charge les communes, contrats de ville et QPV du territoire (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Affiche les chiffres sans rien enregistrer."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            counts = load_territory()
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(
            "Territoire : {communes} communes, {city_contracts} contrats de ville, "
            "{qpvs} QPV{suffix}.".format(**counts, suffix=" (simulation)" if dry_run else "")
        )
