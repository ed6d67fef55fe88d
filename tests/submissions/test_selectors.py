from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import CityContract, Commune
from submissions import selectors, services
from submissions.models import ThreadRead
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import CoachingEntryFactory, MessageFactory, ProjectFactory


@dataclass
class World:
    member_a: object
    member_b: object
    officer: object
    other_officer: object
    coordinator: object
    projects: dict


@pytest.fixture
def world(db):
    """Two associations, their projects in Seine Amont, Val de Bièvre and the queue."""
    association_a = AssociationFactory(name="Les Ateliers du Port")
    association_b = AssociationFactory(name="Vivre à Gagarine")
    villejuif = Commune.objects.get(name="Villejuif")
    chevilly = Commune.objects.get(name="Chevilly-Larue")
    projects = {
        "a_draft": ProjectFactory(association=association_a, title="A brouillon", draft=True),
        "a_proposed": ProjectFactory(association=association_a, title="A proposé", proposed=True),
        "a_queue": ProjectFactory(
            association=association_a, title="A à Chevilly", commune=chevilly, proposed=True
        ),
        "b_coaching": ProjectFactory(
            association=association_b, title="B accompagné", coaching=True
        ),
        "b_villejuif": ProjectFactory(
            association=association_b, title="B à Villejuif", commune=villejuif, ready=True
        ),
    }
    return World(
        member_a=member_of(association_a, email="membre@ateliers.test"),
        member_b=member_of(association_b, email="membre@gagarine.test"),
        officer=UserFactory(officer=True, email="chef@seine-amont.test"),
        other_officer=UserFactory(
            officer_contract=CityContract.objects.get(code="CV355"),
            email="chef@val-de-bievre.test",
        ),
        coordinator=UserFactory(coordinator=True, email="coordination@gosb.test"),
        projects=projects,
    )


def _titles(queryset):
    return sorted(project.title for project in queryset)


def test_projects_visible_to_a_member_are_those_of_the_association(world):
    assert _titles(selectors.projects_visible_to(world.member_a)) == [
        "A brouillon",
        "A proposé",
        "A à Chevilly",
    ]


def test_projects_visible_to_a_member_of_another_association_are_only_its_own(world):
    assert _titles(selectors.projects_visible_to(world.member_b)) == [
        "B accompagné",
        "B à Villejuif",
    ]


def test_projects_visible_to_the_officer_are_the_territory_ones_once_proposed(world):
    assert _titles(selectors.projects_visible_to(world.officer)) == [
        "A proposé",
        "B accompagné",
    ]


def test_projects_visible_to_an_officer_of_another_territory_are_only_that_territory(world):
    assert _titles(selectors.projects_visible_to(world.other_officer)) == ["B à Villejuif"]


def test_projects_visible_to_a_coordinator_are_all_but_drafts(world):
    assert _titles(selectors.projects_visible_to(world.coordinator)) == [
        "A proposé",
        "A à Chevilly",
        "B accompagné",
        "B à Villejuif",
    ]


def test_projects_visible_to_anonymous_are_none(world):
    assert _titles(selectors.projects_visible_to(AnonymousUser())) == []


def test_projects_visible_to_a_juror_are_none(world):
    assert _titles(selectors.projects_visible_to(UserFactory(juror=True))) == []


@pytest.mark.parametrize(
    "reader",
    ["member_a", "member_b", "officer", "other_officer", "coordinator", "juror", "anonymous"],
)
def test_the_project_page_finds_exactly_the_projects_visible_to_the_reader(world, reader):
    """Compiled once per shape of roles, its read finds what the selector's queryset finds."""
    people = {"juror": UserFactory(juror=True), "anonymous": AnonymousUser()}
    user = people.get(reader) or getattr(world, reader)
    visible = set(selectors.projects_visible_to(user).values_list("pk", flat=True))

    for project in world.projects.values():
        found = selectors.project_for_page(user, project.pk)
        assert (found is not None) == (project.pk in visible)
        if found is not None:
            assert (found.pk, found.title, found.state) == (
                project.pk,
                project.title,
                project.state,
            )
            assert found.member_user_ids == list(
                project.association.memberships.values_list("user_id", flat=True)
            )


def test_the_project_page_reads_its_project_in_one_query(world):
    with CaptureQueriesContext(connection) as queries:
        project = selectors.project_for_page(world.officer, world.projects["b_coaching"].pk)
        assert project.title == "B accompagné"
        assert project.member_user_ids == [world.member_b.pk]

    assert len(queries) == 1


def test_projects_visible_to_a_deactivated_member_are_none(world):
    world.member_a.is_active = False
    world.member_a.save(update_fields=["is_active"])

    assert _titles(selectors.projects_visible_to(world.member_a)) == []


def test_inbox_for_the_officer_lists_the_territory_projects_read(world):
    assert [(project.title, project.unread) for project in selectors.inbox_for(world.officer)] == [
        ("B accompagné", False),
        ("A proposé", False),
    ]


def test_inbox_for_a_coordinator_includes_the_queue(world):
    assert _titles(selectors.inbox_for(world.coordinator)) == [
        "A proposé",
        "A à Chevilly",
        "B accompagné",
        "B à Villejuif",
    ]


def _unread(user, project):
    return selectors.inbox_for(user).get(pk=project.pk).unread


def test_inbox_for_unread_flips_after_thread_mark_read(world):
    project = world.projects["a_proposed"]
    services.message_post(project=project, actor=world.member_a, body="Une question.")
    assert _unread(world.officer, project) is True

    services.thread_mark_read(project=project, user=world.officer)
    assert _unread(world.officer, project) is False

    MessageFactory(project=project, author=world.member_a, body="Une autre question.")
    assert _unread(world.officer, project) is True


def test_inbox_for_ignores_the_reader_own_messages(world):
    project = world.projects["a_proposed"]

    services.message_post(project=project, actor=world.officer, body="Je passe jeudi.")

    assert _unread(world.officer, project) is False
    assert _unread(world.coordinator, project) is True


def test_state_counts_counts_each_state(world):
    assert selectors.state_counts(selectors.projects_visible_to(world.coordinator)) == {
        "proposed": 2,
        "coaching": 1,
        "ready": 1,
    }
    assert selectors.state_counts(selectors.projects_visible_to(world.officer)) == {
        "proposed": 1,
        "coaching": 1,
    }
    assert selectors.state_counts(selectors.projects_visible_to(AnonymousUser())) == {}


def test_unassigned_projects_are_the_proposed_ones_without_contract(world):
    chevilly = Commune.objects.get(name="Chevilly-Larue")
    ProjectFactory(title="Brouillon à Chevilly", commune=chevilly, draft=True)
    ProjectFactory(title="Retiré à Chevilly", commune=chevilly, withdrawn=True)

    assert _titles(selectors.unassigned_projects()) == ["A à Chevilly"]


def test_coaching_entries_for_a_member_are_the_shared_ones(world):
    project = world.projects["b_coaching"]
    CoachingEntryFactory(project=project, text="Note interne.", visibility="internal")
    CoachingEntryFactory(project=project, text="Note partagée.", visibility="shared")

    assert [entry.text for entry in selectors.coaching_entries_for(project, coach=False)] == [
        "Note partagée."
    ]
    assert sorted(entry.text for entry in selectors.coaching_entries_for(project, coach=True)) == [
        "Note interne.",
        "Note partagée.",
    ]


def test_opening_the_thread_again_with_nothing_new_writes_nothing(world):
    project = world.projects["a_proposed"]
    services.thread_mark_read(project=project, user=world.officer)
    # Nothing to read yet: no mark.
    assert not ThreadRead.objects.filter(project=project, user=world.officer).exists()

    services.message_post(project=project, actor=world.member_a, body="Une question.")
    services.thread_mark_read(project=project, user=world.officer)
    first = ThreadRead.objects.get(project=project, user=world.officer).read_at

    with CaptureQueriesContext(connection) as queries:
        services.thread_mark_read(project=project, user=world.officer)

    assert len(queries) == 1
    assert ThreadRead.objects.get(project=project, user=world.officer).read_at == first
