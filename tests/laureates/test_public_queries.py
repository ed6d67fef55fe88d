"""The public lists cost the same at 10 and at 500 laureates, read in the index's order, 20 a page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Commune, Qpv
from laureates import selectors
from laureates.enums import CardState
from laureates.filters import LaureateFilter
from laureates.models import Laureate
from submissions.enums import EditionState, Theme
from tests.laureates.factories import LaureateFactory, ShowcaseFactory
from tests.laureates.test_public import status, titles
from tests.submissions.factories import EditionFactory
from tests.utils import page

LIST = "/laureats/"


def _cards(edition, count, *, public=True, start=0):
    """``count`` cards of one edition, written at once (bulk_create)."""
    ivry = Commune.objects.get(insee="94041")
    cards = Laureate.objects.bulk_create(
        Laureate(
            edition=edition,
            year=edition.year,
            association_name=f"Association {number:04d}",
            title=f"Projet {number:04d}",
            slug=f"projet-{number:04d}",
            pitch="Un atelier ouvert aux habitants du quartier, chaque semaine.",
            commune=ivry,
            themes=[Theme.SOCIAL, Theme.CULTURE],
            amount_granted=1000,
            state=CardState.PUBLISHED if public else CardState.DRAFT,
            is_public=public,
        )
        for number in range(start, start + count)
    )
    through = Laureate.qpvs.through
    qpv = Qpv.objects.get(code="QN09407I")
    through.objects.bulk_create(through(laureate=card, qpv=qpv) for card in cards)
    return cards


def _edition(year=2020):
    edition = EditionFactory(year=year, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=edition, published=True)
    return edition


def count_queries(client, url) -> int:
    """The queries of rendering the page (not of serving the public cache's copy)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        LIST,
        f"{LIST}?annee=2020&commune=94041&quartier=QN09407I&theme=culture",
        f"{LIST}?q=atelier+habitants&page=2",
        "/laureats/2020/",
        "/",
    ],
)
def test_public_lists_cost_the_same_at_10_and_500_laureates(client, db, url):
    edition = _edition()
    _cards(edition, 10)
    with_ten = count_queries(client, url)

    _cards(edition, 490, start=10)
    with_many = count_queries(client, url)

    assert with_ten == with_many


def test_list_query_count(client, db, django_assert_num_queries):
    _cards(_edition(), 30)

    # years, communes and quarters offered by the filters; the count; the page;
    # the map's communes and its laureates per commune.
    with django_assert_num_queries(7):
        client.get(LIST)


def test_list_reads_the_public_order_index_without_sorting_all_rows(db):
    edition = _edition()
    _cards(edition, 500)
    _cards(edition, 1000, public=False, start=500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE laureates_laureate")

    listed = LaureateFilter({}, queryset=selectors.public_cards()).qs
    plan = listed[:20].explain()

    assert "laureate_public_order" in plan
    assert "Sort" not in plan


# Pagination (cards of their own: 25 in one edition)


@pytest.fixture
def many(db):
    edition = _edition(2019)
    for number in range(25):
        LaureateFactory(public=True, edition=edition, title=f"Projet {number:02d}")
    return edition


def test_pagination_twenty_a_page(client, many):
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert titles(first) == [f"Projet {n:02d}" for n in range(20)]
    assert titles(second) == [f"Projet {n:02d}" for n in range(20, 25)]
    assert status(second) == "25 lauréats (page 2 sur 2)."
    assert 'href="?page=1">Page précédente</a>' in page(second)


def test_pagination_keeps_the_filters(client, many):
    text = page(client.get(LIST, {"annee": 2019, "q": "", "theme": Theme.SOCIAL}))

    assert 'href="?annee=2019&theme=lien_social&page=2">Page suivante</a>' in text


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 2), ("99", 2)])
def test_page_out_of_range_shows_the_nearest(client, many, asked, shown):
    response = client.get(LIST, {"page": asked})

    assert response.status_code == 200
    assert f"(page {shown} sur 2)" in status(response)


def test_home_without_public_laureate_has_no_such_section(client, db):
    LaureateFactory(title="Pas encore publié")

    text = page(client.get("/"))

    assert "Derniers lauréats" not in text
    assert "Pas encore publié" not in text
