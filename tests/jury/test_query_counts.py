"""The session and ranking pages cost the same at 3 and at 30 projects."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import cache_versions
from jury import services
from jury.selectors import PAGES_VERSION
from tests.jury.factories import CriterionFactory, jury_session
from tests.shared_world import SharedWorld


def _count(client, url) -> tuple[int, int]:
    """The queries of a page (kept per viewer, {% cached_fragment %}), then after a change."""
    client.get(url)  # first visit: nothing cached yet on either side
    counts = []
    for _ in ("kept", "rendered again"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        cache_versions.bump(PAGES_VERSION)  # as any change the pages show does
    return counts[0], counts[1]


def _scored(projects: int):
    jury = jury_session(projects=projects, jurors=2)
    criteria = list(jury.session.edition.criteria.all())
    for member in [jury.president, *jury.jurors]:
        services.declarations_save(
            member=member, entries=[(a.project, False, "") for a in jury.auditions]
        )
        for audition in jury.auditions:
            services.evaluation_save(
                member=member,
                project=audition.project,
                scores={c.pk: {"value": str(Decimal(3)), "comment": ""} for c in criteria},
                general_comment="",
                version=None,
                submit=True,
            )
    return jury


# Two scored sessions, 3 and 30 projects, built once for the tests of a worker that read them.
SCORED = SharedWorld(
    "séances notées, 3 et 30 projets", lambda: (_scored(3), _scored(30)), copied=True
)
scored = SCORED.fixture("scored")


@pytest.mark.parametrize("page", ["jury:session_detail", "jury:results", "jury:deliberation"])
def test_coordinator_pages_cost_the_same_with_3_or_30_projects(client, scored, page):
    small, large = scored
    client.force_login(small.coordinator)
    with_three = _count(client, reverse(page, args=[small.session.pk]))
    client.force_login(large.coordinator)
    with_thirty = _count(client, reverse(page, args=[large.session.pk]))

    assert with_three == with_thirty


def test_juror_session_page_costs_the_same_with_3_or_30_projects(client, scored):
    small, large = scored
    client.force_login(small.jurors[0].user)
    with_three = _count(client, reverse("jury:session_detail", args=[small.session.pk]))
    client.force_login(large.jurors[0].user)
    with_thirty = _count(client, reverse("jury:session_detail", args=[large.session.pk]))

    assert with_three == with_thirty


def test_session_list_costs_the_same_with_one_or_many_sessions(client, db):
    first = jury_session(projects=1, jurors=1)
    client.force_login(first.coordinator)
    with_one = _count(client, reverse("jury:session_list"))
    for _ in range(5):
        jury_session(projects=1, jurors=1, coordinator=first.coordinator)
    with_six = _count(client, reverse("jury:session_list"))

    assert with_one == with_six


def test_declarations_page_costs_the_same_with_3_or_30_projects(client, scored):
    small, large = scored
    client.force_login(small.jurors[0].user)
    with_three = _count(client, reverse("jury:declarations", args=[small.session.pk]))
    client.force_login(large.jurors[0].user)
    with_thirty = _count(client, reverse("jury:declarations", args=[large.session.pk]))

    assert with_three == with_thirty


@pytest.mark.parametrize("page", ["jury:results", "jury:deliberation", "jury:declarations"])
def test_the_second_page_of_a_list_costs_what_the_first_does(client, scored, page):
    _small, large = scored
    client.force_login(large.president.user)
    url = reverse(page, args=[large.session.pk])

    assert _count(client, f"{url}?page=2") == _count(client, url)


def test_proposal_page_costs_the_same_with_3_or_30_projects(client, scored):
    small, large = scored
    client.force_login(small.coordinator)
    with_three = _count(
        client, reverse("jury:proposal_save", args=[small.session.pk, small.projects[-1].pk])
    )
    client.force_login(large.coordinator)
    with_thirty = _count(
        client, reverse("jury:proposal_save", args=[large.session.pk, large.projects[-1].pk])
    )

    assert with_three == with_thirty


def _evaluation_world(*, criteria: int, colleagues: int):
    """A juror who submitted, ``colleagues`` others who did too, on a grid of ``criteria``."""
    jury = jury_session(projects=1, jurors=colleagues + 1)
    grid = jury.criteria[:criteria]
    jury.edition.criteria.exclude(pk__in=[c.pk for c in grid]).delete()
    for _ in range(criteria - len(grid)):
        grid.append(CriterionFactory(edition=jury.edition))
    project = jury.projects[0]
    for member in jury.jurors:
        services.declarations_save(member=member, entries=[(project, False, "")])
        services.evaluation_save(
            member=member,
            project=project,
            scores={c.pk: {"value": "3", "comment": "Un commentaire."} for c in grid},
            general_comment="",
            version=None,
            submit=True,
        )
    return jury


def test_evaluation_page_costs_the_same_with_1_or_many_criteria_and_evaluations(client, db):
    one = _evaluation_world(criteria=1, colleagues=1)
    many = _evaluation_world(criteria=9, colleagues=6)
    counts = []
    for jury in (one, many):
        client.force_login(jury.jurors[0].user)
        url = reverse("jury:evaluation", args=[jury.session.pk, jury.projects[0].pk])
        content = client.get(url).content.decode()
        # The colleagues' evaluations are shown: the count covers them.
        assert content.count("<article") == len(jury.jurors) - 1
        counts.append(_count(client, url))

    # Kept: the user with the unread notifications' count (the sign-in session and the kept
    # page come from the cache), the jury session with the seat, the project with whether the
    # juror declared it free of conflict. Rendered again, besides: the association, the grid,
    # the own evaluation with its scores and amendments, the others' evaluations with their
    # scores.
    assert counts == [(3, 10), (3, 10)]
