"""The searches and the public list read their indexes (EXPLAIN), and find what people type.

The trigram indexes hold ``public.immutable_unaccent(…)`` (core.search): a
query that writes another expression (Django's ``__unaccent``, ``UNACCENT``)
reads every row. With few rows PostgreSQL rightly prefers reading the table,
so the plans are asked with sequential scans discouraged, or with the cost of
testing one row raised as a larger table would make it: the index must be
usable, which is what a change of expression breaks.
"""

import copy

import pytest
from django.db import connection

from accounts.models import Association
from laureates import selectors as laureate_selectors
from laureates.filters import LaureateFilter
from laureates.models import Laureate, new_certificate_code
from submissions import selectors as submission_selectors
from submissions.filters import InboxFilter
from submissions.models import Project
from tests.factories import AssociationFactory, UserFactory
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def plan(queryset, *, seqscan: bool = False, row_cost: float | None = None) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        if row_cost is not None:
            cursor.execute("SELECT set_config('cpu_operator_cost', %s, true)", [str(row_cost)])
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def many_laureates():
    """2,000 public cards (one per row written at once), the table analysed."""
    model = LaureateFactory(public=True, title="Jardin partagé des Lozaits")
    copies = []
    for n in range(2000):
        card = copy.copy(model)
        card.pk = None
        card.title = f"Atelier de quartier n° {n}"
        card.slug = f"atelier-{n}"
        card.certificate_code = new_certificate_code()
        copies.append(card)
    Laureate.objects.bulk_create(copies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE laureates_laureate")
    return model


def inbox_search(words: str):
    coordinator = UserFactory(coordinator=True)
    base = submission_selectors.inbox_for(coordinator)
    return InboxFilter({"q": words}, queryset=base, user=coordinator).qs


def public_search(words: str):
    return LaureateFilter({"q": words}, queryset=laureate_selectors.public_cards()).qs


def test_the_public_search_reads_the_full_text_and_the_trigram_indexes(many_laureates):
    # 2,000 cards are read in a few ms (the table, rightly); 40 times as many are not.
    shown = plan(public_search("lozaits"), seqscan=True, row_cost=0.1)

    assert "laureate_search" in shown
    assert "laureate_words_trgm" in shown
    assert list(public_search("lozaits")) == [many_laureates]


def test_the_public_list_reads_its_order_from_the_index(many_laureates):
    page = laureate_selectors.public_cards()[:20]

    shown = plan(page, seqscan=True)

    assert "laureate_public_order" in shown
    assert "Sort" not in shown


@pytest.fixture
def many_projects():
    """1,000 proposed projects of 1,000 associations (written at once), the tables analysed."""
    model = ProjectFactory(proposed=True, title="École des ateliers du samedi")
    associations = []
    for n in range(1000):
        association = copy.copy(model.association)
        association.pk = None
        association.name = f"Association de quartier n° {n}"
        association.rna = ""
        association.submission_key = None
        associations.append(association)
    Association.objects.bulk_create(associations)
    projects = []
    for n, association in enumerate(associations):
        project = copy.copy(model)
        project.pk = None
        project.title = f"Atelier du samedi n° {n}"
        project.association = association
        project.submission_key = None
        projects.append(project)
    Project.objects.bulk_create(projects)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_association")
        cursor.execute("ANALYZE submissions_project")
    return model


def test_the_inbox_search_reads_the_title_and_association_indexes(many_projects):
    shown = plan(inbox_search("ecole"), seqscan=True, row_cost=0.1)

    assert "project_title_trgm" in shown
    assert "association_name_trgm" in shown


def test_the_inbox_search_ignores_accents_and_case_and_finds_each_project_once():
    ateliers = AssociationFactory(name="Les Ateliers de l'Éveil")
    by_both = ProjectFactory(
        proposed=True, title="École des ateliers du samedi", association=ateliers
    )
    by_association = ProjectFactory(proposed=True, title="Repair café", association=ateliers)
    by_title = ProjectFactory(proposed=True, title="Une ÉCOLE de musique")
    ProjectFactory(
        proposed=True, title="Jardin partagé", association=AssociationFactory(name="Les Lilas")
    )

    assert set(inbox_search("ecole")) == {by_both, by_title}
    assert sorted(p.pk for p in inbox_search("eveil")) == sorted([by_both.pk, by_association.pk])
    # A percent sign or an underscore is a character typed, not a wildcard.
    assert list(inbox_search("%")) == []
    assert list(inbox_search("_")) == []


def test_the_public_search_forgives_a_mistyped_word_and_accents():
    jardin = LaureateFactory(public=True, title="Jardin partagé des Lozaits", pitch="")
    LaureateFactory(public=True, title="Repair café", pitch="")

    assert list(public_search("jardn partage")) == [jardin]
    assert list(public_search("LOZAITS")) == [jardin]


def test_the_unaccent_function_is_immutable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'immutable_unaccent'")
        assert cursor.fetchall() == [("i",)]
        cursor.execute("SELECT public.immutable_unaccent('Éveil à l''École')")
        assert cursor.fetchone() == ("Eveil a l'Ecole",)
    assert Association.objects.filter(name__immutable_unaccent="x").count() == 0
