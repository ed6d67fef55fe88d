import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from laureates.schedule import describe
from laureates.services.followup import send_followup_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels de bilans des lauréats (avant l'échéance, puis le lendemain du "
        "retard), une seule fois chacun. manage.py run_scheduler le fait toutes les heures ; "
        "cette commande le fait à la main."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Compte les rappels sans rien envoyer."
        )
        parser.add_argument(
            "--date", help="Le jour à considérer (AAAA-MM-JJ), par défaut aujourd'hui."
        )

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Date illisible : « {date} » (attendu : AAAA-MM-JJ).") from error
        summary = send_followup_reminders(today=today, dry_run=dry_run)
        self.stdout.write(describe(summary, day=today, dry_run=dry_run))
        for title in summary.without_recipient:
            self.stdout.write(f"Aucun membre actif à prévenir pour « {title} ».")
