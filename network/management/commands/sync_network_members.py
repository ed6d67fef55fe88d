"""Make every laureate association a member of the network (after an import, on deploy)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from network.services.directory import sync_laureate_members


class Command(BaseCommand):
    help = "Fait de chaque association lauréate un membre du réseau (sans rien écraser)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire combien rejoindraient, sans rien écrire."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        with transaction.atomic():
            count = sync_laureate_members()
            if dry_run:
                transaction.set_rollback(True)
        verb = "rejoindraient" if dry_run else "ont rejoint"
        self.stdout.write(f"{count} association(s) lauréate(s) {verb} le réseau.")
