"""Answers to a signed-in person are never stored by a cache."""

import pytest
from django.urls import reverse

from tests.test_permission_matrix import world  # noqa: F401  (the matrix's test world)


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    ("role", "name", "kwargs"),
    [
        ("member_a", "dashboard", None),
        ("member_a", "accounts:profile", None),
        ("member_a", "submissions:project_detail", lambda w: {"pk": w["project_a"].pk}),
        ("officer_t1", "submissions:inbox", None),
        ("juror", "jury:session_detail", lambda w: {"pk": w["jury_session"].pk}),
        ("coordinator", "jury:results", lambda w: {"pk": w["jury_session"].pk}),
        # The named scores of every juror, as a spreadsheet and as minutes.
        (
            "coordinator",
            "jury:scores_export",
            lambda w: {"pk": w["jury_session"].pk, "fmt": "csv"},
        ),
        ("coordinator", "jury:minutes", lambda w: {"pk": w["jury_session"].pk}),
        # A public page seen by a signed-in person shows their name in the header.
        ("member_a", "pages:legal", None),
    ],
)
def test_answers_to_a_signed_in_person_are_not_stored(client, world, role, name, kwargs):  # noqa: F811
    client.force_login(world["users"][role])

    response = client.get(reverse(name, kwargs=kwargs(world) if kwargs else None))

    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)
    assert "public" not in _cache_control(response)


def test_a_view_that_forbids_caching_keeps_its_stricter_headers(client, world):  # noqa: F811
    client.force_login(world["users"]["coordinator"])

    response = client.get(reverse("healthz"))

    assert {"private", "no-store", "no-cache", "must-revalidate", "max-age=0"} <= _cache_control(
        response
    )


@pytest.mark.parametrize("name", ["home", "pages:legal", "territory:contracts"])
def test_public_pages_stay_cacheable_for_anonymous_visitors(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "no-store" not in _cache_control(response)
