"""The submissions pages cost the same number of queries at 1 row and at 50."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CityContract, Commune, Qpv
from core import cache_versions
from core.workflow import record
from submissions.enums import BudgetSide, ProjectState, Visibility
from submissions.filters import INBOX_PER_PAGE, INBOX_VERSION
from submissions.models import BudgetLine, ThreadRead
from submissions.selectors import PAGE_VERSION
from submissions.workflows import PROJECT
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import (
    CoachingEntryFactory,
    EditionFactory,
    MessageFactory,
    ProjectFactory,
)

MANY = 50

# Every state a coach sees in the inbox, in turn.
INBOX_STATES = [
    ProjectState.PROPOSED,
    ProjectState.COACHING,
    ProjectState.READY,
    ProjectState.DEPOSITED,
    ProjectState.ELIGIBLE,
    ProjectState.INELIGIBLE,
    ProjectState.SHORTLISTED,
    ProjectState.NOT_SELECTED,
    ProjectState.LAUREATE,
    ProjectState.COMPLETED,
    ProjectState.WITHDRAWN,
]
TRAITS = {
    ProjectState.PROPOSED: "proposed",
    ProjectState.COACHING: "coaching",
    ProjectState.READY: "ready",
    ProjectState.DEPOSITED: "deposited",
    ProjectState.ELIGIBLE: "eligible",
    ProjectState.INELIGIBLE: "ineligible",
    ProjectState.SHORTLISTED: "shortlisted",
    ProjectState.WITHDRAWN: "withdrawn",
}


def count_queries(client, url, data=None) -> int:
    """Ask the page once (first-visit writes), then count the queries of a second visit."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


def count_inbox_queries(client, url, data=None) -> int:
    """Count the queries of a visit that renders the inbox's list again (its fragment stale)."""
    client.get(url, data)
    cache_versions.bump(INBOX_VERSION)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def seine_amont(db):
    return CityContract.objects.get(slug="seine-amont")


@pytest.fixture
def ivry(db):
    return Commune.objects.get(name="Ivry-sur-Seine")


def _coached_project(index, *, commune, city_contract, reader):
    """A project of a new association, in the index-th inbox state, with QPVs and messages."""
    state = INBOX_STATES[index % len(INBOX_STATES)]
    association = AssociationFactory(commune=commune)
    member = member_of(association)
    trait = TRAITS.get(state, "deposited")
    project = ProjectFactory(
        association=association,
        commune=commune,
        city_contract=city_contract,
        complete=True,
        **{trait: True},
        state=state,
    )
    project.qpvs.add(*Qpv.objects.order_by("code")[:2])
    project.themes = ["culture", "sante"][: 1 + index % 2]
    project.save(update_fields=["themes"])
    # Messages in three situations: unread, read, and the reader's own.
    MessageFactory(project=project, author=member, body=f"Question n° {index}")
    if index % 3 == 1:
        ThreadRead.objects.create(project=project, user=reader, read_at=timezone.now())
    elif index % 3 == 2:
        MessageFactory(project=project, author=reader, body="Réponse")
    return project


def _fill_inbox(count, *, start, city_contract, commune, reader):
    for index in range(start, start + count):
        _coached_project(index, commune=commune, city_contract=city_contract, reader=reader)


# The inbox, for a chef de projet as for a coordinator, when its list is rendered: the user
# with the unread notifications' count of the navigation (the session comes from the cache),
# the state counts, the page of projects (with association, commune and the unread flag in one
# query). Unfiltered, the list's size is the sum of the state counts; filtered, the paginator
# counts (one more). The filter form's choices and the fragment come from the cache: none in
# tests (memory), one read each in production (the database cache).
INBOX_QUERIES = 3
FILTERED_INBOX_QUERIES = 4
# While the list's fragment holds: the user (with the notifications' count) only.
CACHED_INBOX_QUERIES = 1


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_inbox_costs_the_same_with_one_or_many_projects(client, seine_amont, ivry, role):
    reader = (
        UserFactory(officer_contract=seine_amont)
        if role == "officer"
        else UserFactory(coordinator=True)
    )
    client.force_login(reader)
    url = reverse("submissions:inbox")
    _fill_inbox(1, start=0, city_contract=seine_amont, commune=ivry, reader=reader)
    with_one = count_inbox_queries(client, url)

    _fill_inbox(MANY - 1, start=1, city_contract=seine_amont, commune=ivry, reader=reader)
    if role == "coordinator":
        # The coordinators' queue: communes outside any contrat de ville.
        chevilly = Commune.objects.get(name="Chevilly-Larue")
        _fill_inbox(5, start=0, city_contract=None, commune=chevilly, reader=reader)
    with_many = count_inbox_queries(client, url)

    assert with_one == with_many == INBOX_QUERIES


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_inbox_filtered_costs_the_same_with_one_or_many_projects(client, seine_amont, ivry, role):
    reader = (
        UserFactory(officer_contract=seine_amont)
        if role == "officer"
        else UserFactory(coordinator=True)
    )
    client.force_login(reader)
    url = reverse("submissions:inbox")
    query = {"q": "ateliers", "waiting": "on", "theme": "culture", "sort": "-proposed_at"}
    _fill_inbox(2, start=0, city_contract=seine_amont, commune=ivry, reader=reader)
    with_few = count_inbox_queries(client, url, query)

    _fill_inbox(MANY, start=2, city_contract=seine_amont, commune=ivry, reader=reader)
    with_many = count_inbox_queries(client, url, query)

    assert with_few == with_many == FILTERED_INBOX_QUERIES


def _main(html: str) -> str:
    return html[html.index('<main id="contenu"') : html.index("</main>")]


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_inbox_query_count(client, seine_amont, ivry, django_assert_num_queries, role):
    reader = (
        UserFactory(officer_contract=seine_amont)
        if role == "officer"
        else UserFactory(coordinator=True)
    )
    client.force_login(reader)
    _fill_inbox(MANY, start=0, city_contract=seine_amont, commune=ivry, reader=reader)
    url = reverse("submissions:inbox")
    client.get(url)
    cache_versions.bump(INBOX_VERSION)

    with django_assert_num_queries(INBOX_QUERIES):
        rendered = client.get(url)
    with django_assert_num_queries(CACHED_INBOX_QUERIES):
        cached = client.get(url)

    assert rendered.status_code == cached.status_code == 200
    html = rendered.content.decode()
    # The same list (the navigation's forms carry a token of each answer's own).
    assert _main(cached.content.decode()) == _main(html)
    assert html.count("<tr>") == 1 + INBOX_PER_PAGE  # the head's row, then a page of projects
    assert f"{MANY} projets." in html
    assert "Page 1 sur 3" in html
    # Unread and read threads, each told apart.
    assert 0 < html.count("<strong>Non lus</strong>") < INBOX_PER_PAGE


def test_project_list_costs_the_same_with_one_or_many_projects(client, ivry):
    association = AssociationFactory(commune=ivry)
    member = member_of(association)
    client.force_login(member)
    url = reverse("submissions:project_list")
    ProjectFactory(association=association, commune=ivry)
    with_one = count_queries(client, url)

    states = itertools.cycle([None, *TRAITS.values()])
    for _ in range(MANY - 1):
        trait = next(states)
        project = ProjectFactory(
            association=association, complete=True, **({trait: True} if trait else {})
        )
        MessageFactory(project=project, author=member)
    with_many = count_queries(client, url)

    assert with_one == with_many


def test_project_list_of_a_member_of_several_associations_costs_the_same(client, ivry):
    """Two associations or eight: the same count (one association shows no choice)."""
    member = member_of(AssociationFactory(commune=ivry))
    AssociationFactory(commune=ivry).memberships.create(user=member)
    client.force_login(member)
    url = reverse("submissions:project_list")
    for membership in member.memberships.all():
        ProjectFactory(association=membership.association)
    with_two = count_queries(client, url)

    for _ in range(6):
        association = AssociationFactory(commune=ivry)
        association.memberships.create(user=member)
        ProjectFactory.create_batch(3, association=association, coaching=True)
    with_eight = count_queries(client, url)

    assert with_two == with_eight


def test_edition_list_costs_the_same_with_one_or_many_editions(client, ivry):
    client.force_login(UserFactory(coordinator=True))
    url = reverse("submissions:edition_list")
    first = EditionFactory(open=True)
    ProjectFactory(deposited=True, edition=first)
    with_one = count_queries(client, url)

    for _ in range(MANY - 1):
        edition = EditionFactory(closed=True)
        ProjectFactory.create_batch(2, deposited=True, edition=edition)
    with_many = count_queries(client, url)

    assert with_one == with_many


def _add_to_detail(project, count, *, member, officer, start=0):
    """Add count events, coaching entries, messages and budget lines."""
    for index in range(start, start + count):
        record(
            PROJECT,
            project,
            "send_back",
            actor=officer if index % 2 else member,
            from_state=ProjectState.READY,
            to_state=ProjectState.COACHING,
            reason=f"Motif n° {index}",
        )
        CoachingEntryFactory(
            project=project,
            author=officer,
            happened_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            visibility=Visibility.SHARED if index % 2 else Visibility.INTERNAL,
            text=f"Note n° {index}",
        )
        MessageFactory(project=project, author=member if index % 2 else officer, body=f"n° {index}")
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            side=BudgetSide.CHARGE if index % 2 else BudgetSide.INCOME,
            account="60" if index % 2 else "70",
            label=f"Ligne n° {index}",
            amount=Decimal("100"),
            position=index,
        )
        for index in range(start, start + count)
    )


def _project_read_by(client, role, state, seine_amont, ivry):
    """A project in ``state`` with two QPVs, its member and officer; ``role``'s reader signed in."""
    association = AssociationFactory(commune=ivry)
    member = member_of(association)
    officer = UserFactory(officer_contract=seine_amont)
    readers = {"member": member, "officer": officer, "coordinator": UserFactory(coordinator=True)}
    project = ProjectFactory(
        association=association, commune=ivry, city_contract=seine_amont, **{state: True}
    )
    project.qpvs.add(*Qpv.objects.order_by("code")[:2])
    client.force_login(readers[role])
    return project, member, officer


@pytest.mark.parametrize("role", ["member", "officer", "coordinator"])
@pytest.mark.parametrize("state", ["coaching", "deposited"])
def test_project_detail_costs_the_same_with_one_or_many_items(
    client, seine_amont, ivry, role, state
):
    project, member, officer = _project_read_by(client, role, state, seine_amont, ivry)
    url = project.get_absolute_url()
    _add_to_detail(project, 1, member=member, officer=officer)
    with_one = count_queries(client, url)

    _add_to_detail(project, MANY - 1, member=member, officer=officer, start=1)
    with_many = count_queries(client, url)

    assert with_one == with_many


@pytest.mark.parametrize(
    ("role", "state"),
    # A draft is its association's only.
    [("member", "draft")]
    + [
        (role, state)
        for role in ("member", "officer", "coordinator")
        for state in ("coaching", "deposited")
    ],
)
def test_project_detail_rendered_again_costs_the_same_with_one_or_many_items(
    client, seine_amont, ivry, role, state
):
    """Not from the cache (a change bumped its version): the dossier is read once, in full."""
    project, member, officer = _project_read_by(client, role, state, seine_amont, ivry)
    url = project.get_absolute_url()

    def count_rendered_again() -> int:
        client.get(url)  # first-visit writes
        cache_versions.bump(PAGE_VERSION)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert "Note n° 0" in response.content.decode() or role == "member"
        # The checks' few fields, then the whole dossier: no field read on its own.
        reads = [q["sql"] for q in queries.captured_queries]
        assert len([sql for sql in reads if sql.startswith('SELECT "submissions_project"')]) == 2
        return len(queries)

    _add_to_detail(project, 1, member=member, officer=officer)
    with_one = count_rendered_again()
    _add_to_detail(project, MANY - 1, member=member, officer=officer, start=1)
    with_many = count_rendered_again()

    assert with_one == with_many


def test_budget_section_costs_the_same_with_one_or_many_lines(client, seine_amont, ivry):
    association = AssociationFactory(commune=ivry)
    member = member_of(association)
    project = ProjectFactory(association=association, commune=ivry, coaching=True)
    client.force_login(member)
    url = reverse("submissions:project_section", args=[project.pk, "budget"])
    _add_to_detail(project, 1, member=member, officer=member)
    with_one = count_queries(client, url)

    _add_to_detail(project, MANY - 1, member=member, officer=member, start=1)
    with_many = count_queries(client, url)

    assert with_one == with_many


def test_the_qpv_filter_lists_each_project_once_and_no_inbox_query_sorts_distinct_rows(
    client, seine_amont, ivry
):
    coordinator = UserFactory(coordinator=True)
    client.force_login(coordinator)
    for index in range(3):
        _coached_project(index, commune=ivry, city_contract=seine_amont, reader=coordinator)
    first_qpv = Qpv.objects.order_by("code").first()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("submissions:inbox"), {"qpv": first_qpv.pk})

    # Each project is in two QPVs: filtered on one, it is still listed once.
    page_obj = response.context["inbox"].page_obj
    listed = [project.pk for project in page_obj]
    assert len(listed) == len(set(listed)) == page_obj.paginator.count == 3
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]


def test_the_inbox_filters_offer_a_new_edition_and_keep_the_chosen_commune(client, ivry):
    """The lists come from the cache, yet an edition created shows at once."""
    client.force_login(UserFactory(coordinator=True))
    url = reverse("submissions:inbox")
    client.get(url)  # the lists are cached
    edition = EditionFactory(year=2042)

    page = client.get(url, {"commune": ivry.pk}).content.decode()

    assert f'<option value="{edition.pk}">{edition}</option>' in page
    assert f'<option value="{ivry.pk}" selected>Ivry-sur-Seine</option>' in page
    assert page.count('<option value="" selected>Tous</option>') == 3  # état, quartier, thème


@pytest.mark.parametrize("role", ["member", "officer", "coordinator"])
def test_the_project_page_reads_the_association_memberships_once(client, seine_amont, ivry, role):
    """Each role check (view, edit, coach, each move offered) reads the members read with the project."""
    association = AssociationFactory(commune=ivry)
    member = member_of(association)
    member_of(association)  # another member
    readers = {
        "member": member,
        "officer": UserFactory(officer_contract=seine_amont),
        "coordinator": UserFactory(coordinator=True),
    }
    project = ProjectFactory(
        association=association, commune=ivry, city_contract=seine_amont, coaching=True
    )
    client.force_login(readers[role])
    client.get(project.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_membership"' in q["sql"]]
    assert len(reads) == 1
    # The roles are still told apart: the coaches are offered the coaches' move.
    assert ("Marquer prêt au dépôt" in response.content.decode()) == (role != "member")


def test_the_members_projects_come_a_page_at_a_time(client, ivry):
    association = AssociationFactory(commune=ivry)
    client.force_login(member_of(association))
    for number in range(25):
        ProjectFactory(association=association, title=f"Projet n° {number:02d}")
    url = reverse("submissions:project_list")

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["projects"]) == 20
    assert "Page 1 sur 2" in first.content.decode()
    assert "Page suivante" in first.content.decode()
    titles = {p.title for p in first.context["projects"]} | {
        p.title for p in second.context["projects"]
    }
    assert len(second.context["projects"]) == 5
    assert titles == {f"Projet n° {number:02d}" for number in range(25)}
