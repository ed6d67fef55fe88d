"""The demo's archived editions get an envelope and their dossiers received, once."""

from decimal import Decimal

from coordination.demo import seed_dashboard_figures
from laureates.models import Showcase
from submissions.enums import EditionState
from submissions.models import Edition
from tests.laureates.factories import ShowcaseFactory
from tests.submissions.factories import EditionFactory


def test_demo_archives_get_their_figures_and_nothing_else_changes(db):
    demo = ShowcaseFactory(
        edition=EditionFactory(year=2018, state=EditionState.ARCHIVED), is_demo=True
    )
    real = ShowcaseFactory(edition=EditionFactory(year=2019, state=EditionState.ARCHIVED))

    first = seed_dashboard_figures()
    second = seed_dashboard_figures()

    assert first == second == 1
    assert Edition.objects.get(year=2018).budget_envelope == Decimal("45000")
    assert Showcase.objects.get(pk=demo.pk).projects_received == 21
    assert Edition.objects.get(year=2019).budget_envelope == Decimal("0")
    assert Showcase.objects.get(pk=real.pk).projects_received is None
