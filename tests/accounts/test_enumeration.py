"""Sign-up and sign-in say nothing, by their answer or their work, about who has an account."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from accounts.models import Commune, User
from core.models import OutgoingMail
from tests.factories import PASSWORD, UserFactory
from tests.utils import page

SIGNUP = "/compte/inscription/"
LOGIN = "/compte/connexion/"


@pytest.fixture
def hashings():
    """Count the password hashings (the slow part of a sign-up or a sign-in)."""
    counter = mock.Mock(wraps=MD5PasswordHasher.encode)
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=counter):
        yield counter


def _signup(client, email):
    return client.post(
        SIGNUP,
        {
            "first_name": "Fatou",
            "last_name": "Sow",
            "email": email,
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
            "association_name": "Les Ateliers du Port",
            "association_kind": "association",
            "commune": Commune.objects.get(name="Orly").pk,
            "accept_privacy": "on",
        },
    )


def test_signup_with_a_known_address_answers_as_a_new_signup(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="connue@exemple.test")
    new_client, known_client = Client(), Client()

    with django_capture_on_commit_callbacks(execute=True):
        new = _signup(new_client, "nouvelle@exemple.test")
        known = _signup(known_client, "Connue@exemple.test")

    assert (new.status_code, new.url) == (known.status_code, known.url)
    assert new.url == "/compte/inscription/envoyee/"
    new_page = page(new_client.get(new.url)).replace("nouvelle@exemple.test", "…")
    known_page = page(known_client.get(known.url)).replace("Connue@exemple.test", "…")
    assert new_page == known_page
    assert "Vérifiez votre messagerie" in known_page
    assert [mail.to for mail in mailoutbox] == [
        ["nouvelle@exemple.test"],
        ["connue@exemple.test"],
    ]
    notice = mailoutbox[1]
    assert notice.subject.endswith("Vous avez déjà un compte")
    assert "Quelqu'un a voulu créer un compte" in notice.body
    assert "http://testserver/compte/connexion/" in notice.body
    assert "http://testserver/compte/mot-de-passe/oublie/" in notice.body
    assert User.objects.filter(email__iexact="connue@exemple.test").count() == 1


def test_signup_hashes_the_password_once_whatever_the_address(client, db, hashings):
    UserFactory(email="connue@exemple.test")
    hashings.reset_mock()

    _signup(client, "nouvelle@exemple.test")
    for_a_new_address = hashings.call_count
    hashings.reset_mock()
    _signup(client, "connue@exemple.test")

    assert for_a_new_address == hashings.call_count == 1


@pytest.mark.parametrize(
    "case", ["unknown address", "wrong password", "unconfirmed, wrong password"]
)
def test_login_refusals_say_the_same_and_hash_once(client, db, hashings, case):
    UserFactory(email="confirme@exemple.test")
    UserFactory(email="attente@exemple.test", unconfirmed=True)
    hashings.reset_mock()
    email = {
        "unknown address": "personne@exemple.test",
        "wrong password": "confirme@exemple.test",
        "unconfirmed, wrong password": "attente@exemple.test",
    }[case]

    response = client.post(LOGIN, {"username": email, "password": "pas-le-bon"})

    assert response.status_code == 200
    assert (
        "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, ou choisissez "
        "« Mot de passe oublié »." in page(response)
    )
    assert "confirmée" not in page(response)
    assert hashings.call_count == 1


def test_unconfirmed_account_with_its_password_is_told_to_confirm_after_one_hashing(
    client, db, hashings
):
    UserFactory(email="attente@exemple.test", unconfirmed=True)
    hashings.reset_mock()

    response = client.post(LOGIN, {"username": "Attente@exemple.test", "password": PASSWORD})

    assert "n'est pas encore confirmée" in page(response)
    assert "_auth_user_id" not in client.session
    assert hashings.call_count == 1


def test_signup_mails_leave_from_a_background_task(
    client, db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    UserFactory(email="connue@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "nouvelle@exemple.test")
        _signup(client, "connue@exemple.test")

    assert mailoutbox == []
    # One task per mail, each sending the row of the queue written with the request.
    queued = [
        OutgoingMail.objects.get(pk=pk)
        for result in default_task_backend.results
        for pk in result.args[0]
    ]
    assert [(mail.to, mail.subject) for mail in queued] == [
        (["nouvelle@exemple.test"], "Confirmez votre adresse e-mail"),
        (["connue@exemple.test"], "Vous avez déjà un compte"),
    ]
