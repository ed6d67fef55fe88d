import re

import pytest
from django.urls import reverse

from accounts.models import Association, User
from tests.factories import PASSWORD, AssociationFactory, UserFactory, member_of
from tests.utils import page

LOGIN = "/compte/connexion/"


def _signup_data(**overrides):
    data = {
        "first_name": "Fatou",
        "last_name": "Sow",
        "email": "fatou@exemple.test",
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
        "association_name": "Les Ateliers du Port",
        "association_kind": "association",
        "commune": "",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


def test_login_with_email_lands_on_the_space(client, db):
    user = UserFactory(email="awa@exemple.test")

    response = client.post(LOGIN, {"username": "AWA@exemple.test", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/espace/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_rotates_the_session_key(client, db):
    UserFactory(email="awa@exemple.test")
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key

    client.post(LOGIN, {"username": "awa@exemple.test", "password": PASSWORD})

    assert client.session.session_key != before


def test_login_follows_a_local_next(client, db):
    UserFactory(email="awa@exemple.test")

    response = client.post(
        f"{LOGIN}?next=/compte/profil/",
        {"username": "awa@exemple.test", "password": PASSWORD, "next": "/compte/profil/"},
    )

    assert response.url == "/compte/profil/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_ignores_a_next_to_another_site(client, db, target):
    UserFactory(email="awa@exemple.test")

    response = client.post(
        LOGIN, {"username": "awa@exemple.test", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.url == "/espace/"


def test_unconfirmed_account_is_told_to_confirm(client, db):
    UserFactory(email="awa@exemple.test", unconfirmed=True)

    response = client.post(LOGIN, {"username": "awa@exemple.test", "password": PASSWORD})

    assert response.status_code == 200
    assert "n'est pas encore confirmée" in page(response)


def test_signup_then_confirm_then_login(client, db, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.models import Commune

    data = _signup_data(commune=Commune.objects.get(name="Orly").pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/inscription/", data)

    assert response.status_code == 302
    assert response.url == "/compte/inscription/envoyee/"
    link = re.search(r"http://testserver(/compte/confirmer/\S+)", mailoutbox[0].body).group(1)
    response = client.get(link)
    assert response.url == LOGIN
    response = client.post(
        LOGIN, {"username": "fatou@exemple.test", "password": "un-mot-de-passe-long"}
    )
    assert response.url == "/espace/"
    text = page(client.get("/espace/"))
    assert "Les Ateliers du Port" in text


def test_signup_with_a_short_password_keeps_what_was_typed(client, db):
    response = client.post(
        "/compte/inscription/", _signup_data(password1="court", password2="court")
    )

    text = page(response)
    assert response.status_code == 200
    assert "Il doit contenir au minimum 12 caractères" in text
    assert 'value="Les Ateliers du Port"' in text
    assert 'value="fatou@exemple.test"' in text
    assert User.objects.count() == 0


def test_confirm_link_used_twice_is_refused_the_second_time(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.models import Commune

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/inscription/", _signup_data(commune=Commune.objects.first().pk))
    link = re.search(r"http://testserver(/compte/confirmer/\S+)", mailoutbox[0].body).group(1)

    client.get(link)
    response = client.get(link)

    assert response.status_code == 400
    assert "ne fonctionne pas" in page(response)


def test_password_reset_mails_a_working_link(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="awa@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/mot-de-passe/oublie/", {"email": "awa@exemple.test"})

    link = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+)", mailoutbox[0].body)
    response = client.get(link.group(1), follow=True)
    assert "Choisir un nouveau mot de passe" in page(response)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "nouvelle-phrase-longue", "new_password2": "nouvelle-phrase-longue"},
    )
    assert response.url == "/compte/mot-de-passe/nouveau/termine/"
    response = client.post(
        LOGIN, {"username": "awa@exemple.test", "password": "nouvelle-phrase-longue"}
    )
    assert response.url == "/espace/"


def test_password_change_keeps_the_session(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "encore-une-phrase-longue",
            "new_password2": "encore-une-phrase-longue",
        },
    )

    assert response.url == "/compte/profil/"
    assert client.get("/espace/").status_code == 200


def test_member_edits_the_association_profile(client, db):
    association = AssociationFactory(name="Avant")
    client.force_login(member_of(association))

    response = client.post(
        reverse("accounts:association_update", args=[association.pk]),
        {
            "name": "Après",
            "kind": "collective",
            "rna": "w 941 234 567",
            "siret": "732 829 320 00074",
            "address": "1 rue de la Paix",
            "postcode": "94200",
            "commune": association.commune.pk,
            "qpvs": [],
            "contact_email": "",
            "contact_phone": "",
            "website": "",
            "description": "",
        },
    )

    assert response.status_code == 302
    association.refresh_from_db()
    assert (association.name, association.rna, association.siret) == (
        "Après",
        "W941234567",
        "73282932000074",
    )


def test_association_profile_refuses_a_postcode_of_another_commune(client, db):
    association = AssociationFactory()
    client.force_login(member_of(association))

    response = client.post(
        reverse("accounts:association_update", args=[association.pk]),
        {
            "name": "X",
            "kind": "association",
            "postcode": "91200",
            "commune": association.commune.pk,
        },
    )

    assert response.status_code == 200
    assert "ne correspond pas à Ivry-sur-Seine" in page(response)


def test_invited_person_signs_up_and_joins(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    association = AssociationFactory(name="Le Collectif")
    client.force_login(member_of(association))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:association_invite", args=[association.pk]),
            {"email": "nouveau@exemple.test"},
        )
    client.logout()
    link = re.search(r"http://testserver(/compte/invitation/\S+)", mailoutbox[0].body).group(1)

    response = client.post(
        link,
        {
            "first_name": "Nina",
            "last_name": "Ro",
            "password1": "phrase-longue-et-sure",
            "password2": "phrase-longue-et-sure",
            "accept_privacy": "on",
        },
    )

    assert response.url == association.get_absolute_url()
    user = User.objects.get(email="nouveau@exemple.test")
    assert list(user.associations.all()) == [association]


def test_coordinator_edits_a_chef_de_projet_contact(client, db):
    client.force_login(UserFactory(coordinator=True))

    response = client.post(
        "/espace/coordination/contrats-de-ville/orly/contact/",
        {
            "officer_name": "Samia Chef",
            "officer_email": "s.chef@orly.example",
            "officer_phone": "01 23 45 67 89",
        },
    )

    assert response.url == "/espace/coordination/contrats-de-ville/"
    text = page(client.get("/contrats-de-ville/"))
    assert "Samia Chef" in text
    assert "s.chef@orly.example" in text


def test_association_create_makes_the_creator_a_member(client, db):
    user = UserFactory()
    client.force_login(user)
    from accounts.models import Commune

    response = client.post(
        "/espace/associations/nouvelle/",
        {"name": "Nouvelle", "kind": "other", "commune": Commune.objects.get(name="Thiais").pk},
    )

    association = Association.objects.get(name="Nouvelle")
    assert response.url == association.get_absolute_url()
    assert list(association.members.all()) == [user]


def test_a_double_click_on_create_association_makes_one(client, db):
    from accounts.models import Commune

    user = UserFactory()
    client.force_login(user)
    data = {
        "name": "Nouvelle",
        "kind": "other",
        "commune": Commune.objects.get(name="Thiais").pk,
        "submission_key": "6f1c7d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f",
    }

    first = client.post("/espace/associations/nouvelle/", data)
    second = client.post("/espace/associations/nouvelle/", data)

    association = Association.objects.get(name="Nouvelle")
    assert first.url == second.url == association.get_absolute_url()
