"""« Mon espace »: the role blocks are kept per viewer, and a change shows on the next page."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from accounts.models import CityContract
from notifications import services as notification_services
from submissions.enums import ProjectState
from tests.factories import AssociationFactory, MembershipFactory, UserFactory, member_of
from tests.jury.factories import AuditionFactory, JuryMemberFactory
from tests.submissions.factories import ProjectFactory
from tests.utils import page, sign_in

SPACE = "/espace/"


def _blocks(response) -> str:
    """The space's text after its greeting, tags taken out."""
    main = page(response).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _queries(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SPACE)
    assert response.status_code == 200
    return _blocks(response), len(queries)


def test_the_blocks_are_read_once_while_nothing_changes(client, db):
    association = AssociationFactory(name="Les Jardins d'Ivry")
    member = member_of(association)
    ProjectFactory(association=association, title="Potager partagé")
    sign_in(client, member)

    first, first_queries = _queries(client)
    again, again_queries = _queries(client)

    assert "Potager partagé — Brouillon" in first
    assert again == first
    assert again_queries < first_queries


def test_a_proposed_project_shows_its_new_state_on_the_next_page(client, db):
    UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont"))
    association = AssociationFactory()
    member = member_of(association)
    project = ProjectFactory(association=association, title="Potager partagé", complete=True)
    sign_in(client, member)
    assert "Potager partagé — Brouillon" in _queries(client)[0]

    client.post(reverse("submissions:project_transition", args=[project.pk, "propose"]))

    project.refresh_from_db()
    assert project.state == ProjectState.PROPOSED
    assert f"Potager partagé — {project.get_state_display()}" in _queries(client)[0]


def test_a_new_membership_shows_at_once(client, db):
    person = UserFactory()
    sign_in(client, person)
    assert "Créer le profil de mon association" in _queries(client)[0]

    MembershipFactory(user=person, association=AssociationFactory(name="Les Jardins d'Ivry"))

    blocks = _queries(client)[0]
    assert "Les Jardins d'Ivry" in blocks
    assert "Créer le profil de mon association" not in blocks


def test_a_juror_placed_in_a_session_sees_it_on_the_next_page(client, db):
    juror = UserFactory(juror=True)
    sign_in(client, juror)
    assert "Quand la coordination vous place dans une séance" in _queries(client)[0]

    member = JuryMemberFactory(user=juror, session__title="Séance de printemps")
    AuditionFactory(session=member.session)

    blocks = _queries(client)[0]
    assert "Séance de printemps" in blocks
    assert "à faire : déclarer vos conflits d'intérêts" in blocks


def test_a_new_notification_changes_the_count_while_the_blocks_stay_cached(client, db):
    person = member_of(AssociationFactory())
    sign_in(client, person)
    client.get(SPACE)

    notification_services.notify(
        kind="message",
        users=[person],
        title="Nouveau message",
        link="/espace/",
        mail_template="submissions/email/assigned",
        context={"project": ProjectFactory(), "project_url": "http://testserver/p/"},
    )

    assert "Notifications (1)" in _blocks_and_navigation(client.get(SPACE))


def _blocks_and_navigation(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())


def test_two_people_never_see_each_other_s_blocks(client, db):
    first = member_of(AssociationFactory(name="Les Jardins d'Ivry"))
    second = member_of(AssociationFactory(name="Vitry Solidaire"))

    sign_in(client, first)
    seen_by_first = _queries(client)[0]
    sign_in(client, second)
    seen_by_second = _queries(client)[0]

    assert "Les Jardins d'Ivry" in seen_by_first
    assert "Vitry Solidaire" not in seen_by_first
    assert "Vitry Solidaire" in seen_by_second
    assert "Les Jardins d'Ivry" not in seen_by_second


def test_a_coordinator_s_counts_follow_the_projects(client, db):
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)
    assert "Dossiers déposés à examiner (0)" in _queries(client)[0]

    ProjectFactory(deposited=True, complete=True)

    assert "Dossiers déposés à examiner (1)" in _queries(client)[0]


def test_the_frame_links_follow_the_address_prefix_of_each_request(client, db):
    """The frame's addresses are resolved once per prefix: a prefixed request gets its own."""
    client.force_login(UserFactory())

    # What a WSGI server does for an application mounted under /portail (the test client
    # leaves the prefix as it finds it).
    set_script_prefix("/portail/")
    try:
        prefixed = client.get(SPACE).content.decode()
    finally:
        set_script_prefix("/")
    plain = client.get(SPACE).content.decode()

    assert 'href="/portail/espace/notifications/"' in prefixed
    assert 'href="/static/css/portal.css"' in prefixed
    assert 'href="/espace/notifications/"' in plain
    assert "/portail/" not in plain
    assert 'href="/static/css/portal.css"' in plain
