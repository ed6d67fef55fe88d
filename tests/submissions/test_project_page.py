"""The project page, kept per viewer in the cache: what changes shows at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CityContract
from core.workflow import record
from submissions import selectors
from submissions.enums import Visibility
from submissions.models import ThreadRead
from submissions.workflows import PROJECT
from tests.factories import UserFactory
from tests.submissions.factories import CoachingEntryFactory, MessageFactory, ProjectFactory
from tests.utils import page, sign_in

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


@pytest.fixture
def project(association):
    return ProjectFactory(
        association=association,
        commune=association.commune,
        city_contract=CityContract.objects.get(slug="seine-amont"),
        coaching=True,
        title="Jardin partagé",
    )


def _visit(client, project, **params):
    response = client.get(project.get_absolute_url(), params)
    assert response.status_code == 200
    return page(response)


def test_a_message_posted_shows_at_once_to_its_author_and_to_the_coach(
    client, member, officer, project
):
    coach = type(client)()
    sign_in(coach, officer)
    sign_in(client, member)
    _visit(client, project)  # both pages are now in the cache
    _visit(coach, project)

    response = client.post(
        reverse("submissions:message_create", args=[project.pk]),
        {"body": "Le devis est arrivé.", "submission_key": ""},
    )

    assert response.status_code == 302
    assert "Le devis est arrivé." in _visit(client, project)
    assert "Le devis est arrivé." in _visit(coach, project)


@pytest.mark.parametrize(
    "change",
    ["coaching_entry", "section_save", "transition", "author_renamed"],
)
def test_what_the_page_shows_is_new_on_the_next_visit(client, member, officer, project, change):
    sign_in(client, officer)
    entry = CoachingEntryFactory(
        project=project, author=officer, visibility=Visibility.SHARED, text="Premier rendez-vous."
    )
    before = _visit(client, project)

    if change == "coaching_entry":
        CoachingEntryFactory(
            project=project,
            author=officer,
            visibility=Visibility.SHARED,
            text="Deuxième rendez-vous.",
        )
        expected = "Deuxième rendez-vous."
    elif change == "section_save":
        project.need = "Un besoin tout neuf."
        project.save()
        expected = "Un besoin tout neuf."
    elif change == "transition":
        record(PROJECT, project, "send_back", actor=officer, reason="Budget à revoir")
        expected = "« Budget à revoir »"
    else:
        entry.author.first_name = "Renommée"
        entry.author.save()
        expected = "Par Renommée"

    assert expected not in before
    assert expected in _visit(client, project)


def test_the_cached_page_draws_a_new_once_only_key_on_each_visit(client, member, project):
    sign_in(client, member)

    first, second = _visit(client, project), _visit(client, project)

    # Two tabs opened on the page each send their own message, none taken for the other.
    assert len(KEY.findall(first)) == len(KEY.findall(second)) == 1
    assert KEY.findall(first) != KEY.findall(second)


def test_the_coach_gets_the_note_form_with_a_new_key_on_each_visit(client, officer, project):
    sign_in(client, officer)

    first, second = _visit(client, project), _visit(client, project)

    # The note form and the message form, each with its key.
    assert len(KEY.findall(first)) == len(KEY.findall(second)) == 2
    assert not set(KEY.findall(first)) & set(KEY.findall(second))
    assert first.count('name="kind"') == second.count('name="kind"') == 1
    assert first.count('name="text"') == second.count('name="text"') == 1


def test_a_second_visit_reads_nothing_of_the_dossier(client, member, project):
    sign_in(client, member)
    CoachingEntryFactory(project=project, author=UserFactory(), visibility=Visibility.SHARED)
    MessageFactory(project=project, author=member)
    _visit(client, project)

    with CaptureQueriesContext(connection) as queries:
        shown = _visit(client, project)

    read = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("budgetline", "coachingentry", "core_event", "projectchange", "attachment"):
        assert f"submissions_{table}" not in read and table not in read
    assert "Jardin partagé" in shown


def test_two_people_never_see_each_others_page(client, member, officer, project):
    CoachingEntryFactory(
        project=project, author=officer, visibility=Visibility.INTERNAL, text="Note interne."
    )
    sign_in(client, officer)
    assert "Note interne." in _visit(client, project)

    sign_in(client, member)  # the same browser, another person

    assert "Note interne." not in _visit(client, project)


def test_a_refused_message_comes_back_in_the_cached_page(client, member, project):
    sign_in(client, member)
    _visit(client, project)

    response = client.post(
        reverse("submissions:message_create", args=[project.pk]),
        {"body": "x" * 5001, "submission_key": ""},
    )

    assert response.status_code == 400
    assert "x" * 5001 in page(response)
    assert "Jardin partagé" in page(response)


def test_the_thread_shows_the_latest_messages_and_links_to_the_earlier_ones(
    client, member, officer, project
):
    for number in range(25):
        MessageFactory(project=project, author=member, body=f"Message n° {number:02d}")
    sign_in(client, officer)

    latest = _visit(client, project)
    earlier = _visit(client, project, messages=2)

    assert re.findall(r"Message n° (\d\d)", latest) == [f"{n:02d}" for n in range(5, 25)]
    assert 'href="?messages=2#messages"' in latest
    assert re.findall(r"Message n° (\d\d)", earlier) == [f"{n:02d}" for n in range(5)]
    assert 'href="?#messages">Messages plus récents' in earlier
    assert selectors.MESSAGES_PER_PAGE == 20


def test_opening_the_page_marks_the_thread_read_only_when_a_message_arrived(
    client, member, officer, project
):
    sign_in(client, officer)
    _visit(client, project)
    assert not ThreadRead.objects.exists()

    MessageFactory(project=project, author=member)
    _visit(client, project)
    read_at = ThreadRead.objects.get(project=project, user=officer).read_at
    with CaptureQueriesContext(connection) as queries:
        _visit(client, project)

    assert ThreadRead.objects.get(project=project, user=officer).read_at == read_at
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert not [sql for sql in writes if "threadread" in sql]


def test_a_visit_from_the_cache_reads_neither_the_thread_nor_its_reading(
    client, member, officer, project
):
    MessageFactory(project=project, author=member)
    sign_in(client, officer)
    _visit(client, project)  # the thread is shown, and marked read

    with CaptureQueriesContext(connection) as queries:
        _visit(client, project)

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "submissions_threadread" not in read and "submissions_message" not in read
    # The project itself is read once, to check the person may see it.
    assert read.count('FROM "submissions_project"') == 1
    assert ThreadRead.objects.filter(project=project, user=officer).exists()


def test_the_roles_come_with_the_project_and_choose_the_buttons(client, member, officer, project):
    sign_in(client, officer)
    coach_page = _visit(client, project)
    sign_in(client, member)
    member_page = _visit(client, project)

    assert "Marquer prêt au dépôt" in coach_page
    assert "Marquer prêt au dépôt" not in member_page
    assert "Ajouter une note" in coach_page and "Ajouter une note" not in member_page
