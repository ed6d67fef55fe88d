"""The network directory: membership of the laureates, profiles and who sees each piece,
the public directory with its filters, search and map, the coordination's list."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Commune
from core.models import Event
from laureates.models import Laureate
from network import selectors
from network.enums import Audience, MemberKind
from network.models import NetworkMember
from network.services.directory import member_add, member_save, sync_laureate_members
from submissions.enums import Theme
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.network.factories import MeetingFactory, NetworkMemberFactory
from tests.submissions.factories import EditionFactory

pytestmark = pytest.mark.django_db

INDEX = "/reseau/"


def _laureate_member(*, public=True, **member_fields):
    """A laureate association, its public card and its network profile."""
    laureate = LaureateFactory(public=public)
    sync_laureate_members(laureates=[laureate])
    member = NetworkMember.objects.get(association=laureate.association)
    if member_fields:
        NetworkMember.objects.filter(pk=member.pk).update(**member_fields)
        member.refresh_from_db()
    return member, laureate


def _insider():
    """A member of an association that is itself a member of the network."""
    member, _laureate = _laureate_member()
    return member_of(member.association)


# --- Membership ----------------------------------------------------------------------------


def test_sync_makes_each_laureate_association_a_member_once():
    association = AssociationFactory(name="Les Jardins de Vitry", description="Des jardins.")
    first = LaureateFactory(association=association, themes=[Theme.ENVIRONMENT])
    second = LaureateFactory(association=association)
    archive = LaureateFactory(association=None, association_name="Compagnie L'Étoile")
    archive_again = LaureateFactory(association=None, association_name="compagnie l etoile ")

    assert sync_laureate_members() == 2
    assert sync_laureate_members() == 0

    member = NetworkMember.objects.get(association=association)
    assert member.kind == MemberKind.LAUREATE
    assert member.name == "Les Jardins de Vitry"
    assert member.description == "Des jardins."
    assert member.themes == [Theme.ENVIRONMENT]
    assert member.contact_audience == Audience.HIDDEN
    assert set(member.laureates.all()) == {first, second}
    from_archives = NetworkMember.objects.get(association=None)
    assert from_archives.name == "Compagnie L'Étoile"
    assert set(from_archives.laureates.all()) == {archive, archive_again}


def test_sync_never_overwrites_what_the_member_wrote():
    association = AssociationFactory(name="Ateliers du Lac")
    LaureateFactory(association=association)
    sync_laureate_members()
    member = NetworkMember.objects.get(association=association)
    member_save(
        member=member,
        actor=member_of(association),
        data={"description": "Notre texte à nous.", "themes": [Theme.CULTURE]},
    )
    newer = LaureateFactory(association=association, themes=[Theme.SPORT])

    assert sync_laureate_members() == 0

    member.refresh_from_db()
    assert member.description == "Notre texte à nous."
    assert member.themes == [Theme.CULTURE]
    assert newer in member.laureates.all()


def test_a_new_laureate_joins_the_network_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        laureate = LaureateFactory()

    assert list(NetworkMember.objects.filter(laureates=laureate)) == [
        NetworkMember.objects.get(association=laureate.association)
    ]


def test_the_coordinator_button_syncs_and_says_how_many_joined(client):
    LaureateFactory()
    client.force_login(UserFactory(coordinator=True))

    first = client.post(reverse("network:members_admin"), follow=True)
    again = client.post(reverse("network:members_admin"), follow=True)

    assert "1 association lauréate a rejoint le réseau." in first.content.decode()
    assert "Chaque association lauréate est déjà membre du réseau." in again.content.decode()
    assert NetworkMember.objects.count() == 1


# --- Profiles ------------------------------------------------------------------------------


def test_a_member_edits_its_profile_and_who_sees_each_piece(client):
    member, _laureate = _laureate_member()
    client.force_login(member_of(member.association))
    url = reverse("network:member_edit", args=[member.pk])
    ivry = Commune.objects.get(name="Ivry-sur-Seine")

    page = client.get(url)
    assert "Personne ne voit (hors la coordination) : le contact." in page.content.decode()
    response = client.post(
        url,
        {
            "listed": "on",
            "description": "Un jardin partagé.",
            "description_audience": "public",
            "commune": ivry.pk,
            "communes": [ivry.pk],
            "place_audience": "public",
            "themes": [Theme.ENVIRONMENT],
            "themes_audience": "public",
            "website": "https://jardin.exemple.test/",
            "website_audience": "public",
            "contact_name": "Awa Diallo",
            "contact_email": "awa@exemple.test",
            "contact_phone": "06 12 34 56 78",
            "contact_audience": "members",
            "projects_audience": "public",
            # Not the association's to change: ignored.
            "name": "Autre nom",
            "is_active": "",
            "version": member.version,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("network:space")
    member.refresh_from_db()
    assert member.contact_audience == Audience.MEMBERS
    assert member.contact_email == "awa@exemple.test"
    assert member.is_active is True
    assert member.name != "Autre nom"
    page = client.get(url)
    assert "Les membres du réseau connectés voient en plus : le contact." in page.content.decode()


def test_a_bad_email_is_explained_and_the_typed_text_kept(client):
    member, _laureate = _laureate_member()
    client.force_login(member_of(member.association))

    response = client.post(
        reverse("network:member_edit", args=[member.pk]),
        {
            "description": "Texte tapé.",
            "contact_email": "pas-une-adresse",
            "version": member.version,
            **{f"{piece}_audience": "public" for piece in ["description", "place", "themes"]},
            **{f"{piece}_audience": "hidden" for piece in ["website", "contact", "projects"]},
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in content
    assert "Texte tapé." in content


def test_another_association_cannot_edit_the_profile(client):
    member, _laureate = _laureate_member()
    stranger = member_of(AssociationFactory())
    client.force_login(stranger)

    assert client.get(reverse("network:member_edit", args=[member.pk])).status_code == 404
    with pytest.raises(ValidationError):
        member_save(member=member, actor=stranger, data={"description": "Piraté."})


def test_only_the_coordination_renames_or_deactivates():
    member, _laureate = _laureate_member()
    with pytest.raises(ValidationError):
        member_save(member=member, actor=member_of(member.association), data={"is_active": False})

    member_save(member=member, actor=UserFactory(coordinator=True), data={"is_active": False})

    member.refresh_from_db()
    assert member.is_active is False
    assert not selectors.public_members().filter(pk=member.pk).exists()


def _profile_post(member, **changes) -> dict:
    """The profile form as the association sends it, opened on the member's version."""
    return {
        "listed": "on",
        "description": member.description,
        "themes": member.themes,
        **{f"{piece}_audience": "public" for piece in ["description", "place", "themes"]},
        **{f"{piece}_audience": "hidden" for piece in ["website", "contact", "projects"]},
        "version": member.version,
        **changes,
    }


def test_a_profile_saved_meanwhile_is_not_overwritten_and_the_typing_stays(client):
    member, _laureate = _laureate_member()
    client.force_login(member_of(member.association))
    url = reverse("network:member_edit", args=[member.pk])
    opened = _profile_post(member, description="Ce que le bureau a tapé.")
    member_save(
        member=member,
        actor=UserFactory(coordinator=True, first_name="Inès", last_name="Morel"),
        data={"description": "Ce que la coordination a écrit."},
        version=member.version,
    )

    response = client.post(url, opened)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enregistré entre-temps : à vous de choisir" in page
    assert "Ce que la coordination a écrit." in page
    assert "Ce que le bureau a tapé." in page
    member.refresh_from_db()
    assert member.description == "Ce que la coordination a écrit."
    assert f'name="version" value="{member.version}"' in page
    # « Remplacer par ma saisie »: the form now carries the fresh version.
    replaced = client.post(url, {**opened, "version": member.version})
    assert replaced.status_code == 302
    member.refresh_from_db()
    assert member.description == "Ce que le bureau a tapé."


def test_the_history_keeps_who_changed_which_pieces_and_the_deactivation():
    member, _laureate = _laureate_member()
    writer = member_of(member.association)
    coordinator = UserFactory(coordinator=True)

    member_save(
        member=member,
        actor=writer,
        data={"description": "Nouvelle présentation.", "contact_audience": Audience.MEMBERS},
    )
    member_save(member=member, actor=writer, data={"description": "Nouvelle présentation."})
    member_save(member=member, actor=coordinator, data={"is_active": False})

    events = list(
        Event.objects.for_object(member).order_by("pk").values_list("action", "actor", "changes")
    )
    assert events == [
        ("edit", writer.pk, {"fields": ["contact_audience", "description"]}),
        ("deactivate", coordinator.pk, {}),
    ]


def test_the_coordination_adds_an_actor_once_on_a_double_click():
    coordinator = UserFactory(coordinator=True)
    key = uuid.uuid4()
    data = {"name": "Centre social Balzac", "kind": MemberKind.STRUCTURE, "communes": []}

    first = member_add(actor=coordinator, data=data, submission_key=key)
    second = member_add(actor=coordinator, data=data, submission_key=key)

    assert first == second
    assert first.slug == "centre-social-balzac"
    assert first.contact_audience == Audience.HIDDEN
    assert NetworkMember.objects.count() == 1
    with pytest.raises(ValidationError):
        member_add(actor=coordinator, data={"name": "X", "kind": MemberKind.LAUREATE})
    with pytest.raises(ValidationError):
        member_add(actor=UserFactory(), data={"name": "Y", "kind": MemberKind.PARTNER})


def test_two_members_with_the_same_name_get_two_addresses():
    coordinator = UserFactory(coordinator=True)
    data = {"name": "Maison de quartier", "kind": MemberKind.STRUCTURE}
    assert member_add(actor=coordinator, data=data).slug == "maison-de-quartier"
    assert member_add(actor=coordinator, data=data).slug == "maison-de-quartier-2"


# --- Who sees what -------------------------------------------------------------------------


def _contact_member():
    return NetworkMemberFactory(
        name="Régie de quartier",
        contact_name="Camille Martin",
        contact_email="camille@exemple.test",
        contact_audience=Audience.MEMBERS,
        website_audience=Audience.HIDDEN,
        description_audience=Audience.PUBLIC,
    )


@pytest.mark.parametrize(
    ("who", "sees_contact"),
    [("anonymous", False), ("stranger", False), ("insider", True), ("coordinator", True)],
)
def test_members_only_contact_shows_to_network_members_only(client, who, sees_contact):
    member = _contact_member()
    user = {
        "anonymous": None,
        "stranger": UserFactory(),
        "insider": _insider() if who == "insider" else None,
        "coordinator": UserFactory(coordinator=True),
    }[who]
    if user:
        client.force_login(user)

    for url in (INDEX, member.get_absolute_url()):
        content = client.get(url).content.decode()
        assert ("camille@exemple.test" in content) is sees_contact, url
        assert ("visible des membres du réseau" in content) is sees_contact, url
        # Hidden from everyone in the directory, even the coordination.
        assert "https://exemple.test/" not in content
        assert "Accompagne les associations du quartier" in content


@pytest.mark.parametrize(
    "piece",
    ["description", "place", "themes", "website", "contact", "projects"],
)
def test_each_hidden_piece_is_absent_for_everyone(piece):
    member, _laureate = _laureate_member(
        contact_name="Awa", contact_email="a@exemple.test", website="https://site.test/"
    )
    NetworkMember.objects.filter(pk=member.pk).update(
        **{f"{p}_audience": Audience.PUBLIC for p in ["description", "place", "themes"]},
        **{f"{p}_audience": Audience.PUBLIC for p in ["website", "contact", "projects"]},
    )
    NetworkMember.objects.filter(pk=member.pk).update(**{f"{piece}_audience": Audience.HIDDEN})
    shown = selectors.with_profile(NetworkMember.objects.filter(pk=member.pk)).get()

    for audiences in ({Audience.PUBLIC}, {Audience.PUBLIC, Audience.MEMBERS}):
        profile = selectors.profile_for(shown, frozenset(audiences))
        assert getattr(profile, piece) is None
        others = {"description", "place", "themes", "website", "contact", "projects"} - {piece}
        assert all(getattr(profile, other) is not None for other in others)


def test_a_laureate_member_without_a_public_card_is_not_public(client):
    member, _laureate = _laureate_member(public=False)

    assert not selectors.public_members().filter(pk=member.pk).exists()
    assert client.get(member.get_absolute_url()).status_code == 404
    assert member.name not in client.get(INDEX).content.decode()
    # Its own people still open it.
    client.force_login(member_of(member.association))
    assert client.get(member.get_absolute_url()).status_code == 200


def test_an_unlisted_member_shows_to_network_members_only(client):
    member = NetworkMemberFactory(name="Partenaire discret", listed=False)

    assert client.get(member.get_absolute_url()).status_code == 404
    assert "Partenaire discret" not in client.get(INDEX).content.decode()
    client.force_login(_insider())
    assert client.get(member.get_absolute_url()).status_code == 200
    assert "Partenaire discret" in client.get(INDEX).content.decode()


def test_member_page_links_the_public_laureate_projects(client):
    member, laureate = _laureate_member()
    hidden = LaureateFactory(association=member.association, title="Pas encore publié")
    sync_laureate_members(laureates=[hidden])

    content = client.get(member.get_absolute_url()).content.decode()

    assert f'href="{laureate.get_absolute_url()}"' in content
    assert "Pas encore publié" not in content


# --- Filters, search, map ------------------------------------------------------------------


def _names(response) -> list[str]:
    return [profile.member.name for profile in response.context["profiles"]]


def test_directory_filters_by_commune_theme_edition_and_kind(client):
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    orly = Commune.objects.get(name="Orly")
    in_ivry = NetworkMemberFactory(name="Ivry Solidaire", commune=ivry, themes=[Theme.SPORT])
    acting_in_ivry = NetworkMemberFactory(name="Orly Partage", commune=orly)
    acting_in_ivry.communes.add(ivry)
    NetworkMemberFactory(
        name="Ivry Caché", commune=ivry, place_audience=Audience.HIDDEN, themes=[Theme.SPORT]
    )
    edition = EditionFactory(year=2021, state="archived")
    member, _laureate = _laureate_member()
    Laureate.objects.filter(network_members=member).update(edition=edition, year=2021)

    assert _names(client.get(INDEX, {"commune": orly.insee})) == ["Orly Partage"]
    assert set(_names(client.get(INDEX, {"commune": ivry.insee}))) == {
        "Ivry Solidaire",
        "Orly Partage",
        member.name,  # its card's commune, Ivry-sur-Seine
    }
    assert _names(client.get(INDEX, {"theme": Theme.SPORT})) == ["Ivry Caché", "Ivry Solidaire"]
    assert _names(client.get(INDEX, {"annee": "2021"})) == [member.name]
    assert _names(client.get(INDEX, {"type": MemberKind.LAUREATE})) == [member.name]
    assert in_ivry.name in _names(client.get(INDEX))


def test_directory_search_is_french_and_forgives_accents_and_typos(client):
    NetworkMemberFactory(name="Éducation Populaire Vitry", description="Soutien scolaire.")
    NetworkMemberFactory(name="Club sportif", description="Des jeunes et du football.")
    NetworkMemberFactory(
        name="Secret", description="football caché", description_audience=Audience.HIDDEN
    )

    assert _names(client.get(INDEX, {"q": "education"})) == ["Éducation Populaire Vitry"]
    assert _names(client.get(INDEX, {"q": "jeune"})) == ["Club sportif"]
    assert _names(client.get(INDEX, {"q": "fotball"})) == ["Club sportif"]
    assert _names(client.get(INDEX, {"q": "\x00" + "x" * 3000})) == []


def test_a_bad_filter_value_is_explained(client):
    response = client.get(INDEX, {"commune": "nulle-part"})

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_map_counts_members_where_they_act_and_links_the_filtered_list(client):
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    insider = _insider()
    # The insider's own association acts elsewhere.
    NetworkMember.objects.filter(association__memberships__user=insider).update(
        commune=Commune.objects.get(name="Orly")
    )
    NetworkMember.communes.through.objects.all().delete()
    NetworkMemberFactory(commune=ivry)
    NetworkMemberFactory(commune=ivry, place_audience=Audience.MEMBERS)
    acting = NetworkMemberFactory(commune=None)
    acting.communes.add(ivry)

    anonymous = client.get(INDEX).context["members_map"]
    client.force_login(insider)
    seen_inside = client.get(INDEX).context["members_map"]

    def ivry_row(drawn):
        return next(row for row in drawn["communes"] if row["insee"] == ivry.insee)

    assert ivry_row(anonymous)["count"] == 2
    assert ivry_row(anonymous)["label"] == "Ivry-sur-Seine : 2 membres"
    assert ivry_row(anonymous)["url"] == f"/reseau/?commune={ivry.insee}"
    assert ivry_row(seen_inside)["count"] == 3


def test_the_teaser_links_the_meeting_and_says_when_it_is_full(client):
    from tests.network.factories import MeetingFactory, RegistrationFactory

    meeting = MeetingFactory(title="Rencontre 2027", capacity=1)
    assert "1 place disponible." in client.get(INDEX).content.decode()
    RegistrationFactory(meeting=meeting)
    content = client.get(INDEX).content.decode()
    assert "Rencontre 2027" in content
    assert "Complet — liste d'attente." in content


# --- Query counts --------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _directory_rows(number: int):
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    for _ in range(number):
        member, _laureate = _laureate_member()
        member.communes.add(ivry)
        NetworkMemberFactory().communes.add(ivry)


@pytest.mark.parametrize("signed_in", [False, True])
def test_directory_costs_the_same_with_one_or_many_members(client, signed_in):
    if signed_in:
        client.force_login(_insider())
    _directory_rows(1)
    one = _count(client, INDEX + "?theme=lien_social")
    _directory_rows(6)
    many = _count(client, INDEX + "?theme=lien_social")
    assert one == many


def test_members_admin_costs_the_same_with_one_or_many_members(client):
    client.force_login(UserFactory(coordinator=True))
    _directory_rows(1)
    one = _count(client, reverse("network:members_admin"))
    _directory_rows(6)
    many = _count(client, reverse("network:members_admin") + "?actif=1")
    assert one == many


def test_space_costs_the_same_with_one_or_many_profiles_and_registrations(client):
    from network.models import Meeting
    from tests.factories import MembershipFactory
    from tests.network.factories import RegistrationFactory

    user = UserFactory(coordinator=True)
    client.force_login(user)

    def add_rows(number):
        for _ in range(number):
            member, _laureate = _laureate_member()
            MembershipFactory(user=user, association=member.association)
            RegistrationFactory(user=user)

    add_rows(1)
    one = _count(client, reverse("network:space"))
    add_rows(4)
    many = _count(client, reverse("network:space"))
    assert one == many
    assert Meeting.objects.count() == 5


def test_members_admin_filters_by_kind_and_activity(client):
    client.force_login(UserFactory(coordinator=True))
    NetworkMemberFactory(name="Partenaire actif")
    NetworkMemberFactory(name="Structure partie", kind=MemberKind.STRUCTURE, is_active=False)

    def names(**query):
        response = client.get(reverse("network:members_admin"), query)
        return [member.name for member in response.context["page_obj"].object_list]

    NetworkMemberFactory(name="Sans siège", commune=None, kind=MemberKind.OFFICER)

    assert names(actif="0") == ["Structure partie"]
    assert "<td>—</td>" in client.get(reverse("network:members_admin")).content.decode()
    assert names(type=MemberKind.PARTNER) == ["Partenaire actif"]


def test_space_lists_my_profiles_and_the_coordination_links(client):
    member, _laureate = _laureate_member()
    client.force_login(member_of(member.association))
    content = client.get(reverse("network:space")).content.decode()
    assert reverse("network:member_edit", args=[member.pk]) in content
    assert f'href="{reverse("network:members_admin")}"' not in content

    client.force_login(UserFactory(coordinator=True))
    assert reverse("network:members_admin") in client.get(reverse("network:space")).content.decode()


def test_the_sitemap_lists_the_directory_and_public_members(client):
    member = NetworkMemberFactory(name="Partenaire public")
    hidden = NetworkMemberFactory(name="Partenaire discret", listed=False)

    content = client.get("/sitemap.xml").content.decode()

    assert "/reseau/</loc>" in content
    assert f"/reseau/membres/{member.slug}/</loc>" in content
    assert hidden.slug not in content


def test_the_sitemap_lists_the_announced_meetings_and_not_those_in_preparation(client):
    held = MeetingFactory(past=True, title="Rencontre tenue")
    upcoming = MeetingFactory(title="Rencontre à venir")
    draft = MeetingFactory(draft=True, title="Rencontre en préparation")

    content = client.get("/sitemap.xml").content.decode()

    assert "/reseau/rencontres/</loc>" in content
    assert f"/reseau/rencontres/{held.slug}/</loc>" in content
    assert f"/reseau/rencontres/{upcoming.slug}/</loc>" in content
    assert draft.slug not in content


# --- Demo and command ----------------------------------------------------------------------


def test_demo_members_seed_once_with_varied_audiences():
    from network.demo import DEMO_ACTORS, seed_network_members

    LaureateFactory(public=True, is_demo=True)
    first = seed_network_members()
    second = seed_network_members()

    assert first == second == len(DEMO_ACTORS) + 1
    demo = NetworkMember.objects.filter(is_demo=True)
    assert {member.contact_audience for member in demo} == set(Audience.values)
    assert demo.filter(listed=False).count() == 1
    assert NetworkMember.objects.filter(kind=MemberKind.LAUREATE, is_demo=True).count() == 1


def test_sync_command_dry_run_writes_nothing():
    from io import StringIO

    from django.core.management import call_command

    LaureateFactory()
    out = StringIO()
    call_command("sync_network_members", "--dry-run", stdout=out)
    assert out.getvalue() == "1 association(s) lauréate(s) rejoindraient le réseau.\n"
    assert NetworkMember.objects.count() == 0
    call_command("sync_network_members", stdout=out)
    assert NetworkMember.objects.count() == 1
