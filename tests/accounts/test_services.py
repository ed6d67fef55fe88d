import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Association, Invitation, Membership, User
from tests.factories import AssociationFactory, InvitationFactory, UserFactory, commune, member_of


def _sign_up(**overrides):
    data = {
        "email": "Nouvelle@Exemple.test",
        "first_name": "Fatou",
        "last_name": "Sow",
        "password": "un-mot-de-passe-long",
        "association_name": "Les Ateliers du Port",
        "association_kind": "association",
        "commune": commune("94041"),
        "client_ip": "192.0.2.1",
    }
    return services.member_sign_up(**{**data, **overrides})


def test_member_sign_up_creates_an_unconfirmed_member_and_mails_the_link(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _sign_up()

    assert user.email == "nouvelle@exemple.test"
    assert user.is_active is False
    assert user.email_confirmed_at is None
    assert list(user.associations.values_list("name", flat=True)) == ["Les Ateliers du Port"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nouvelle@exemple.test"]
    assert "http://testserver/compte/confirmer/" in mailoutbox[0].body


def test_member_sign_up_with_a_known_address_creates_nothing_and_tells_the_owner(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    UserFactory(email="nouvelle@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        result = _sign_up()

    assert result is None
    assert User.objects.filter(email__iexact="nouvelle@exemple.test").count() == 1
    assert Association.objects.filter(name="Les Ateliers du Port").exists() is False
    assert mailoutbox[0].subject.endswith("Vous avez déjà un compte")


def test_email_confirm_activates_once(db):
    user = _sign_up()

    services.email_confirm(user=user)
    user.refresh_from_db()
    first = user.email_confirmed_at
    services.email_confirm(user=user)
    user.refresh_from_db()

    assert user.is_active is True
    assert user.email_confirmed_at == first


def test_invitation_send_twice_keeps_one_pending_invitation(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    association = AssociationFactory()
    actor = member_of(association)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_send(
            association=association, actor=actor, email="ami@exemple.test"
        )
        second = services.invitation_send(
            association=association, actor=actor, email="AMI@exemple.test"
        )

    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 2
    assert f"/compte/invitation/{first.token}/" in mailoutbox[1].body


def test_invitation_send_to_a_member_is_refused(db):
    association = AssociationFactory()
    actor = member_of(association, email="deja@exemple.test")

    with pytest.raises(ValidationError) as error:
        services.invitation_send(association=association, actor=actor, email="deja@exemple.test")
    assert "déjà membre" in error.value.messages[0]


def test_invited_sign_up_creates_a_confirmed_member(db):
    invitation = InvitationFactory(email="invitee@exemple.test")

    user = services.invited_sign_up(
        invitation=invitation, first_name="Ali", last_name="Ka", password="phrase-secrete-longue"
    )

    invitation.refresh_from_db()
    assert user.is_active is True
    assert user.email_confirmed_at is not None
    assert Membership.objects.filter(user=user, association=invitation.association).exists()
    assert invitation.accepted_by == user


def test_city_contract_contact_update_checks_the_phone(db):
    from accounts.models import CityContract

    contract = CityContract.objects.get(code="CV917")
    with pytest.raises(ValidationError) as error:
        services.city_contract_contact_update(
            contract=contract, actor=None, name="A", email="a@b.fr", phone="12"
        )
    assert "officer_phone" in error.value.message_dict
