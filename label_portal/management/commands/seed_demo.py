from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from label_portal.demo import seed_demo


class Command(BaseCommand):
    help = "Crée les comptes et données de démonstration (idempotent, jamais en production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Accepter de tourner avec DEBUG=False (jamais sur le portail en service).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG=False : les données de démonstration ne vont pas sur un portail en "
                "service. Utilisez --force si c'est bien une base de démonstration."
            )
        counts = seed_demo()
        self.stdout.write(
            f"Démonstration prête : {counts['people']} comptes @demo.test "
            "(mot de passe demo-label-2026)."
        )
