"""``manage.py run_scheduler``: the periodic jobs of every app (core.schedule), in a loop."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from core.schedule import Scheduler, registered_jobs


class Command(BaseCommand):
    help = (
        "Lance les tâches périodiques (rappels de bilans, mails de la rencontre annuelle) "
        "à leur intervalle ; attend la base de données quand elle redémarre. "
        "--once : chaque tâche une fois, puis s'arrête (pour cron ou un essai)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Lance chaque tâche une fois, puis s'arrête."
        )
        parser.add_argument(
            "--list", action="store_true", help="Liste les tâches et leur intervalle."
        )

    def handle(self, *args, once=False, list=False, **options):
        jobs = registered_jobs()
        if list:
            for job in jobs:
                minutes = int(job.interval.total_seconds() // 60)
                self.stdout.write(f"{job.name} — toutes les {minutes} min — {job.description}")
            return
        scheduler = Scheduler(jobs)
        if once:
            for outcome in scheduler.run_all():
                self.stdout.write(f"{outcome.job.name} : {outcome.summary}")
            return
        running = [True]

        def stop(signum, frame):
            running[0] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            "Tâches périodiques : " + ", ".join(job.name for job in jobs) + ".", ending="\n"
        )
        self.stdout.flush()
        scheduler.loop(tick=settings.SCHEDULER_TICK_SECONDS, running=lambda: running[0])
