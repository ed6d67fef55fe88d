"""Forms that send mail send a limited number of them (core.ratelimit)."""

from datetime import timedelta

from django.urls import reverse

from accounts.models import Commune, Invitation
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.utils import page

RESET = "/compte/mot-de-passe/oublie/"
RESEND = "/compte/confirmer/nouveau-lien/"
SIGNUP = "/compte/inscription/"


def test_thirty_reset_requests_for_an_address_send_one_mail(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="awa@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(RESET, {"email": "awa@exemple.test"}) for _ in range(30)]

    assert {answer.url for answer in answers} == {"/compte/mot-de-passe/oublie/envoye/"}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["awa@exemple.test"]
    done = page(client.get("/compte/mot-de-passe/oublie/envoye/"))
    assert "Si un compte existe à cette adresse" in done
    assert "qu'un lien toutes les 10 minutes" in done


def test_reset_for_an_address_is_counted_in_any_spelling(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="awa@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "awa@exemple.test"})
        client.post(RESET, {"email": " AWA@Exemple.test "})

    assert len(mailoutbox) == 1


def test_reset_requests_past_the_limit_of_a_connection_are_refused_with_the_address_kept(
    client, db, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_ip": (3, timedelta(hours=1))}
    for number in range(3):
        client.post(RESET, {"email": f"essai{number}@exemple.test"})

    response = client.post(RESET, {"email": "encore@exemple.test"})

    text = page(response)
    assert response.status_code == 200
    assert "Beaucoup de demandes sont parties de votre connexion internet" in text
    assert "attendez 59 minutes avant de réessayer" in text.replace("\xa0", " ")
    assert 'value="encore@exemple.test"' in text


def test_confirmation_resend_sends_one_link_per_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="attente@exemple.test", unconfirmed=True)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(RESEND, {"email": "attente@exemple.test"}) for _ in range(5)]

    assert {answer.url for answer in answers} == {"/compte/connexion/"}
    assert len(mailoutbox) == 1
    assert "/compte/confirmer/" in mailoutbox[0].body


def test_confirmation_resend_past_the_limit_of_a_connection_keeps_the_address(client, db, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "confirmation_resend_ip": (2, timedelta(hours=1)),
    }
    for number in range(2):
        client.post(RESEND, {"email": f"essai{number}@exemple.test"})

    response = client.post(RESEND, {"email": "encore@exemple.test"})

    assert response.status_code == 200
    assert "Beaucoup de demandes sont parties de votre connexion internet" in page(response)
    assert 'value="encore@exemple.test"' in page(response)


def _signup_data(email):
    return {
        "first_name": "Fatou",
        "last_name": "Sow",
        "email": email,
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
        "association_name": "Les Ateliers du Port",
        "association_kind": "association",
        "commune": Commune.objects.get(name="Orly").pk,
        "accept_privacy": "on",
    }


def test_signups_with_a_known_address_tell_its_owner_once(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="connue@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(SIGNUP, _signup_data("connue@exemple.test")) for _ in range(10)]

    assert {answer.url for answer in answers} == {"/compte/inscription/envoyee/"}
    assert [mail.subject for mail in mailoutbox] == [
        "[Label Actions Innovantes] Vous avez déjà un compte"
    ]


def test_signups_past_the_limit_of_a_connection_keep_what_was_typed(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_ip": (2, timedelta(hours=1))}
    for number in range(2):
        client.post(SIGNUP, _signup_data(f"essai{number}@exemple.test"))

    response = client.post(SIGNUP, _signup_data("encore@exemple.test"))

    text = page(response)
    assert response.status_code == 200
    assert "Beaucoup de demandes sont parties de votre connexion internet" in text
    assert 'value="encore@exemple.test"' in text
    assert 'value="Les Ateliers du Port"' in text


def _invite(client, association, email):
    return client.post(
        reverse("accounts:association_invite", args=[association.pk]), {"email": email}
    )


def test_an_association_sends_at_most_twenty_invitations_a_day(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    association = AssociationFactory()
    client.force_login(member_of(association))

    with django_capture_on_commit_callbacks(execute=True):
        answers = [_invite(client, association, f"invite{n}@exemple.test") for n in range(20)]
        refused = _invite(client, association, "une-de-trop@exemple.test")

    assert {answer.status_code for answer in answers} == {302}
    assert len(mailoutbox) == 20
    text = page(refused)
    assert refused.status_code == 400
    assert "Votre association a déjà envoyé beaucoup d'invitations aujourd'hui" in text
    assert 'value="une-de-trop@exemple.test"' in text
    assert not Invitation.objects.filter(email="une-de-trop@exemple.test").exists()


def test_an_address_receives_at_most_three_invitations_a_day(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    associations = AssociationFactory.create_batch(4)
    for association in associations:
        member_of(association)

    with django_capture_on_commit_callbacks(execute=True):
        for association in associations[:3]:
            client.force_login(association.members.first())
            assert _invite(client, association, "cible@exemple.test").status_code == 302
        client.force_login(associations[3].members.first())
        refused = _invite(client, associations[3], "Cible@exemple.test")

    assert len(mailoutbox) == 3
    assert refused.status_code == 400
    assert "Cette adresse a déjà reçu plusieurs invitations aujourd'hui" in page(refused)
