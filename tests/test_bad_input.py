"""Bad input gets a clear French answer and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Association, Commune, User
from tests.factories import PASSWORD, AssociationFactory, UserFactory, member_of
from tests.utils import page

LOGIN = "/compte/connexion/"


def _profile_data(association, **overrides):
    data = {
        "name": association.name,
        "kind": association.kind,
        "rna": "",
        "siret": "",
        "address": "",
        "postcode": "",
        "commune": association.commune.pk,
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member_client(client, db):
    association = AssociationFactory(name="Nom d'origine")
    client.force_login(member_of(association))
    client.association = association
    return client


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rna", "123456789", "commence par la lettre W suivie de 9 chiffres"),
        ("siret", "73282932000079", "Ce numéro SIRET n'existe pas"),
        ("siret", "1234", "compte exactement 14 chiffres"),
        ("postcode", "9420", "Le code postal compte exactement 5 chiffres"),
        ("contact_phone", "06 12", "Numéro de téléphone à 10 chiffres attendu"),
    ],
)
def test_invalid_identifier_is_explained_and_the_form_keeps_the_rest(
    member_client, field, value, message
):
    association = member_client.association
    url = reverse("accounts:association_update", args=[association.pk])

    response = member_client.post(
        url, _profile_data(association, name="Nouveau nom", **{field: value})
    )

    text = page(response)
    assert response.status_code == 200
    assert message in text
    assert 'value="Nouveau nom"' in text
    association.refresh_from_db()
    assert association.name == "Nom d'origine"


def test_a_one_megabyte_name_is_refused_with_its_limit(member_client):
    association = member_client.association
    url = reverse("accounts:association_update", args=[association.pk])

    response = member_client.post(url, _profile_data(association, name="x" * 1_000_000))

    assert response.status_code == 200
    assert "au plus 200 caractères" in page(response)
    association.refresh_from_db()
    assert association.name == "Nom d'origine"


def test_a_body_over_the_upload_limit_gets_a_400_page(member_client):
    association = member_client.association
    url = reverse("accounts:association_update", args=[association.pk])

    response = member_client.post(url, _profile_data(association, description="x" * 3_000_000))

    assert response.status_code == 400
    assert "Rien n'a été enregistré" in page(response)


def test_a_null_byte_is_refused(member_client):
    association = member_client.association
    url = reverse("accounts:association_update", args=[association.pk])

    response = member_client.post(url, _profile_data(association, name="Asso\x00ciation"))

    assert response.status_code == 200
    assert "Le caractère nul n’est pas autorisé" in page(response)
    association.refresh_from_db()
    assert association.name == "Nom d'origine"


def test_a_null_byte_in_the_sign_in_form_does_not_crash(client, db):
    response = client.post(LOGIN, {"username": "a\x00b@exemple.test", "password": "x"})

    assert response.status_code == 200


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(db):
    association = AssociationFactory(name="Nom d'origine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_of(association))

    response = client.post(
        reverse("accounts:association_update", args=[association.pk]),
        _profile_data(association, name="Piraté"),
    )

    assert response.status_code == 403
    assert "Formulaire expiré" in page(response)
    association.refresh_from_db()
    assert association.name == "Nom d'origine"


def test_sign_up_posting_a_role_field_grants_nothing(client, db):
    client.post(
        "/compte/inscription/",
        {
            "first_name": "Eve",
            "last_name": "Malice",
            "email": "eve@exemple.test",
            "password1": "une-phrase-assez-longue",
            "password2": "une-phrase-assez-longue",
            "association_name": "Asso",
            "association_kind": "association",
            "commune": Commune.objects.first().pk,
            "accept_privacy": "on",
            "is_coordinator": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    user = User.objects.get(email="eve@exemple.test")
    assert (user.is_coordinator, user.is_staff, user.is_superuser) == (False, False, False)


def test_ten_wrong_passwords_lock_the_account_and_log_nobody_in(client, db):
    user = UserFactory(email="awa@exemple.test")
    codes = [
        client.post(LOGIN, {"username": "awa@exemple.test", "password": f"faux-{n}"}).status_code
        for n in range(10)
    ]

    response = client.post(LOGIN, {"username": "awa@exemple.test", "password": PASSWORD})

    # The 5th wrong password locks the address: its answer says so.
    assert codes == [200] * 4 + [429] * 6
    assert response.status_code == 429
    assert "bloquée pendant 15 minutes" in page(response)
    user.refresh_from_db()
    assert user.last_login is None


def test_the_lock_does_not_spill_onto_another_account(client, db):
    UserFactory(email="awa@exemple.test")
    UserFactory(email="karim@exemple.test")
    for n in range(6):
        client.post(LOGIN, {"username": "awa@exemple.test", "password": f"faux-{n}"})

    response = client.post(LOGIN, {"username": "karim@exemple.test", "password": PASSWORD})

    assert response.status_code == 302


def test_double_sign_up_creates_one_account(client, db):
    data = {
        "first_name": "Fatou",
        "last_name": "Sow",
        "email": "fatou@exemple.test",
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
        "association_name": "Les Ateliers",
        "association_kind": "association",
        "commune": Commune.objects.first().pk,
        "accept_privacy": "on",
    }

    first = client.post("/compte/inscription/", data)
    second = client.post("/compte/inscription/", data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert User.objects.filter(email="fatou@exemple.test").count() == 1
    assert Association.objects.filter(name="Les Ateliers").count() == 1
