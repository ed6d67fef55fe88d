import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format

from core.text import plural
from laureates.services.followup import send_followup_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels de bilans des lauréats (avant l'échéance, puis le lendemain du "
        "retard), une seule fois chacun. À lancer chaque jour."
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
        verb = "à envoyer" if dry_run else plural(summary.sent, "envoyé", "envoyés")
        self.stdout.write(
            "Rappels de bilans du {day} : {count} {verb} ({before} avant l'échéance, "
            "{late} en retard){suffix}.".format(
                day=date_format(today, "j F Y"),
                count=f"{summary.sent} {plural(summary.sent, 'mail', 'mails')}",
                verb=verb,
                before=summary.before,
                late=summary.late,
                suffix=" (simulation)" if dry_run else "",
            )
        )
        for title in summary.without_recipient:
            self.stdout.write(f"Aucun membre actif à prévenir pour « {title} ».")
