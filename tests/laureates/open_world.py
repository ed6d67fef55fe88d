"""A small set of laureates, public and not, for the open data, feed, sitemap and map tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Qpv
from laureates.enums import CardState, ShowcaseState
from submissions.enums import EditionState, Theme
from tests.factories import commune
from tests.laureates.factories import LaureateFactory, ShowcaseFactory
from tests.shared_world import SharedWorld
from tests.submissions.factories import EditionFactory

NOW = timezone.now()


def _edition(year: int, *, published: bool, show_amounts: bool = True):
    edition = EditionFactory(year=year, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=edition, published=published, show_amounts=show_amounts)
    return edition


def build_open_world() -> dict:
    """Three public cards (2024, 2023 without amounts), two that the public must not see."""
    e2024 = _edition(2024, published=True)
    e2023 = _edition(2023, published=True, show_amounts=False)
    e2025 = _edition(2025, published=False)
    ivry = LaureateFactory(
        edition=e2024,
        public=True,
        title="Café des parents",
        slug="cafe-des-parents",
        association_name="Association Les Voisins d'Ivry",
        pitch="Un café où les parents se retrouvent après l'école.",
        commune=commune("94041"),
        themes=[Theme.EDUCATION, Theme.SOCIAL],
        amount_granted=Decimal("5000.50"),
        website="https://voisins-ivry.example.org/",
        published_at=NOW - datetime.timedelta(days=2),
    )
    ivry.qpvs.set([Qpv.objects.get(code="QN09401M")])
    athis = LaureateFactory(
        edition=e2024,
        public=True,
        title='=HYPERLINK("http://x") atelier vélo',
        slug="atelier-velo",
        association_name="Vélo Athis",
        commune=commune("91027"),
        themes=[Theme.SPORT],
        amount_granted=Decimal("3000"),
        published_at=NOW - datetime.timedelta(days=1),
    )
    vitry = LaureateFactory(
        edition=e2023,
        public=True,
        title="Jardin partagé des Ardoines",
        slug="jardin-partage",
        association_name="Les Jardiniers de Vitry",
        commune=commune("94081"),
        themes=[Theme.ENVIRONMENT],
        amount_granted=Decimal("4000"),
        published_at=NOW - datetime.timedelta(days=400),
    )
    # Card published, edition not yet: not public.
    hidden_edition = LaureateFactory(
        edition=e2025,
        state=CardState.PUBLISHED,
        title="Projet de l'édition non publiée",
        slug="edition-non-publiee",
        commune=commune("94041"),
        published_at=NOW,
    )
    # Card still being written in a published edition: not public.
    draft_card = LaureateFactory(
        edition=e2024,
        state=CardState.DRAFT,
        title="Fiche en cours de relecture",
        slug="fiche-en-relecture",
        commune=commune("94041"),
    )
    assert e2025.showcase.state == ShowcaseState.DRAFT
    return {
        "ivry": ivry,
        "athis": athis,
        "vitry": vitry,
        "hidden_edition": hidden_edition,
        "draft_card": draft_card,
    }


HIDDEN_TITLES = {"Projet de l'édition non publiée", "Fiche en cours de relecture"}


# Built once for all the tests of a worker that use it (test_feeds, test_map,
# test_opendata, test_sitemaps); each test runs in a savepoint (tests/shared_world.py).
OPEN_WORLD = SharedWorld("laureats publics", build_open_world, copied=False)
world_fixture = OPEN_WORLD.fixture()
