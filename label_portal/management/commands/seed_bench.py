from django.core.management.base import BaseCommand, CommandError

from accounts.territory import load_territory
from label_portal.bench_data import generate


class Command(BaseCommand):
    help = "Remplit une base neuve avec le jeu de données du banc d'essai (make bench)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 : 10 000 projets ; 0.1 : un dixième."
        )

    def handle(self, *args, scale: float, **options):
        load_territory()
        try:
            counts = generate(scale=scale)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{name} : {count}")
