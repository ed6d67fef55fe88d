"""The sign-in lockout: per address in any spelling, and per connection."""

from django.conf import settings

from tests.factories import PASSWORD, UserFactory
from tests.utils import page

LOGIN = "/compte/connexion/"
SPELLINGS = [
    "asso@exemple.test",
    "Asso@exemple.test",
    "ASSO@EXEMPLE.TEST",
    "  asso@exemple.test  ",
    "asso@Exemple.Test",
]


def _try(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_in_any_spelling_lock_the_address(client, db):
    UserFactory(email="asso@exemple.test")

    answers = [_try(client, spelling, "faux-mot-de-passe") for spelling in SPELLINGS]
    sixth = _try(client, "aSSo@exemple.test ", PASSWORD)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
    assert "mot de passe incorrect" in page(answers[3])
    assert "Trop de tentatives de connexion" in page(answers[4])
    assert sixth.status_code == 429
    assert "bloquée pendant 15 minutes" in page(sixth)
    assert "_auth_user_id" not in client.session


def test_failures_on_an_address_add_up_from_every_connection(client, db):
    UserFactory(email="asso@exemple.test")

    for number, spelling in enumerate(SPELLINGS):
        _try(client, spelling, "faux-mot-de-passe", ip=f"198.51.100.{number + 1}")
    sixth = _try(client, "asso@exemple.test", PASSWORD, ip="198.51.100.99")

    assert sixth.status_code == 429


def test_many_addresses_from_one_connection_are_refused_past_its_limit(client, db):
    UserFactory(email="vraie@exemple.test")
    limit = settings.AXES_IP_FAILURE_LIMIT

    answers = [
        _try(client, f"essai{number}@exemple.test", "faux-mot-de-passe") for number in range(limit)
    ]
    from_there = _try(client, "vraie@exemple.test", PASSWORD)
    from_elsewhere = _try(client, "vraie@exemple.test", PASSWORD, ip="203.0.113.5")

    assert {answer.status_code for answer in answers[: limit - 1]} == {200}
    assert answers[-1].status_code == 429
    assert from_there.status_code == 429
    assert "Trop de tentatives de connexion" in page(from_there)
    assert from_elsewhere.status_code == 302


def test_signing_in_to_another_account_does_not_clear_an_address_failures(client, db):
    UserFactory(email="cible@exemple.test")
    UserFactory(email="moi@exemple.test")

    for _ in range(3):
        _try(client, "cible@exemple.test", "faux-mot-de-passe")
    assert _try(client, "moi@exemple.test", PASSWORD).status_code == 302
    client.logout()
    fourth = _try(client, "Cible@exemple.test", "faux-mot-de-passe")
    fifth = _try(client, "CIBLE@exemple.test", "faux-mot-de-passe")

    assert fourth.status_code == 200
    assert fifth.status_code == 429


def test_the_right_password_clears_the_address_failures(client, db):
    UserFactory(email="asso@exemple.test")

    for spelling in SPELLINGS[:4]:
        _try(client, spelling, "faux-mot-de-passe")
    assert _try(client, "asso@exemple.test", PASSWORD).status_code == 302
    client.logout()
    answers = [_try(client, spelling, "faux-mot-de-passe") for spelling in SPELLINGS[:4]]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
