"""Demo figures for the dashboard: what the past editions of the demo archives lack."""

from decimal import Decimal

from django.db import transaction

from laureates.models import Showcase
from submissions.models import Edition

# Invented, like the demo laureates of these years: envelope (€) and dossiers received.
DEMO_ARCHIVES = {
    2018: (Decimal("45000"), 21),
    2019: (Decimal("45000"), 18),
    2020: (Decimal("40000"), 14),
    2021: (Decimal("45000"), 19),
    2022: (Decimal("45000"), 17),
    2023: (Decimal("50000"), 22),
    2024: (Decimal("50000"), 20),
    2025: (Decimal("55000"), 24),
}


@transaction.atomic
def seed_dashboard_figures() -> int:
    """Give the demo's archived editions an envelope and a number of dossiers received, once.

    Only editions whose showcase is demo data, and only what is still empty:
    a second run, or an edition the coordination filled in, changes nothing.
    Return how many editions have an envelope.
    """
    for year, (envelope, received) in DEMO_ARCHIVES.items():
        demo = Showcase.objects.filter(edition__year=year, is_demo=True)
        Edition.objects.filter(year=year, showcase__in=demo, budget_envelope=0).update(
            budget_envelope=envelope
        )
        demo.filter(projects_received__isnull=True).update(projects_received=received)
    return Edition.objects.filter(budget_envelope__gt=0).count()
