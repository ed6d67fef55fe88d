"""The session and ranking pages cost the same at 3 and at 30 projects."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jury import services
from tests.jury.factories import jury_session
from tests.shared_world import SharedWorld


def _count(client, url) -> int:
    client.get(url)  # first visit: nothing cached yet on either side
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


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
