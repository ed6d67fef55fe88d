"""The technical administration: coordinators may not take over accounts with more rights."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.utils import page


@pytest.fixture
def coordinator(db):
    return UserFactory(email="coordination@exemple.test", coordinator=True)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        "admin@exemple.test", PASSWORD, first_name="Ada", last_name="Min"
    )


def _password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def _change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def _new_password(client, user):
    return client.post(
        _password_url(user),
        {"password1": "une-phrase-tres-longue", "password2": "une-phrase-tres-longue"},
    )


def _change(client, user, **fields):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": "",
        "is_active": "on",
        **fields,
    }
    return client.post(_change_url(user), data)


@pytest.mark.parametrize("target", ["superuser", "other coordinator"])
def test_a_coordinator_cannot_change_the_password_of_a_higher_or_equal_account(
    client, coordinator, superuser, target
):
    user = superuser if target == "superuser" else UserFactory(coordinator=True)
    client.force_login(coordinator)

    shown = client.get(_password_url(user))
    sent = _new_password(client, user)

    user.refresh_from_db()
    assert (shown.status_code, sent.status_code) == (403, 403)
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("target", ["superuser", "other coordinator"])
def test_a_coordinator_cannot_change_the_address_or_roles_of_a_higher_or_equal_account(
    client, coordinator, superuser, target
):
    user = superuser if target == "superuser" else UserFactory(coordinator=True)
    client.force_login(coordinator)

    response = _change(client, user, email="pirate@exemple.test", is_juror="on")

    user.refresh_from_db()
    assert response.status_code == 403
    assert (user.email, user.is_juror) != ("pirate@exemple.test", True)
    assert client.get(reverse("admin:accounts_user_delete", args=[user.pk])).status_code == 403


def test_a_coordinator_cannot_delete_a_superuser_in_a_bulk_action(client, coordinator, superuser):
    client.force_login(coordinator)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_coordinator_cannot_make_someone_a_coordinator(client, coordinator):
    member = UserFactory()
    client.force_login(coordinator)

    response = _change(client, member, first_name="Nouveau", is_coordinator="on")

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.first_name, member.is_coordinator) == ("Nouveau", False)


def test_a_coordinator_still_helps_a_member_with_a_new_password(client, coordinator):
    member = UserFactory()
    client.force_login(coordinator)

    response = _new_password(client, member)

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.check_password("une-phrase-tres-longue")


def test_a_superuser_changes_a_coordinator_password_and_role(client, superuser):
    other = UserFactory(coordinator=True)
    client.force_login(superuser)

    assert _new_password(client, other).status_code == 302
    response = _change(client, other, is_juror="on")

    other.refresh_from_db()
    assert response.status_code == 302
    assert other.check_password("une-phrase-tres-longue")
    assert (other.is_juror, other.is_coordinator) == (True, False)


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/accounts/user/"])
def test_a_signed_in_person_without_admin_rights_gets_a_french_refusal(client, db, path):
    client.force_login(UserFactory())

    response = client.get(path)

    text = page(response)
    assert response.status_code == 403
    assert "Administration réservée à la coordination" in text
    assert 'href="/espace/"' in text


def test_an_anonymous_visitor_is_sent_to_the_sign_in_page(client, db):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/compte/connexion/?next=%2Fadmin%2F"
