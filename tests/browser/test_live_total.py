"""The live weighted total of the scoring form is jury/aggregation.py's total.

static/js/evaluation.js reads each criterion's weight and scale from the
markup the server renders (data-weight, data-scale) and applies the formula of
``aggregation.partial_weighted_total``; this test types scores on a grid with
uneven weights and scales and compares what the juror reads with what the
server computes for the same scores.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jury import aggregation
from jury import services as jury_services
from tests.browser.conftest import login
from tests.jury.factories import jury_session

pytestmark = pytest.mark.browser

# (weight, scale) of the five criteria of the default grid, made uneven.
GRID = [("3", 5), ("2.5", 20), ("0.5", 3), ("1.2", 7), ("1", 10)]
# Scores typed, criterion by criterion ("" = not scored yet); comma or dot.
TYPED = [
    ["4", "", "", "", ""],
    ["4", "13,5", "", "", ""],
    ["4", "13,5", "2", "5.5", ""],
    ["0", "20", "3", "6,1", "9.9"],
    ["3,3", "7", "1", "0", "10"],
]


def _expected(criteria, values) -> str:
    specs = [
        aggregation.CriterionSpec(id=c.pk, weight=c.weight, scale_max=Decimal(c.scale_max))
        for c in criteria
    ]
    scores = {
        c.pk: Decimal(value.replace(",", "."))
        for c, value in zip(criteria, values, strict=True)
        if value
    }
    total = aggregation.partial_weighted_total(scores, specs)
    if total is None:
        return "Total pondéré : non calculé"
    return f"Total pondéré : {total:.2f} / 100".replace(".", ",")


def test_the_live_total_equals_the_servers_weighted_total(page, live_server, transactional_db):
    jury = jury_session(projects=1, jurors=1, opened=False)
    criteria = jury.criteria
    for criterion, (weight, scale) in zip(criteria, GRID, strict=True):
        criterion.weight, criterion.scale_max = Decimal(weight), scale
        criterion.save(update_fields=["weight", "scale_max"])
    jury_services.session_open(session=jury.session, actor=jury.coordinator)
    juror, project = jury.jurors[0], jury.projects[0]
    jury_services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    login(page, live_server, juror.user.email)
    page.goto(live_server.url + reverse("jury:evaluation", args=[jury.session.pk, project.pk]))
    live = page.locator("#total-pondere")
    expect(live).to_have_text("Total pondéré : non calculé")

    seen = []
    for values in TYPED:
        for criterion, value in zip(criteria, values, strict=True):
            page.get_by_label(
                f"Note sur {criterion.scale_max} pour « {criterion.label} »", exact=True
            ).fill(value)
        expected = _expected(criteria, values)
        expect(live).to_have_text(expected)
        seen.append(expected)
    # The grid is uneven enough for every line to give its own total.
    assert len(set(seen)) == len(TYPED)
