"""Erasing one's account: the row emptied, the traces whole, « Compte supprimé » everywhere."""

import pytest
from axes.models import AccessAttempt
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ERASED_ACCOUNT_LABEL, CityContract, Invitation, Membership, User
from core.models import BackgroundFile, Event, OutgoingMail
from jury import documents
from jury.models import Evaluation
from network.models import NetworkMember, Registration
from notifications import services as notification_services
from notifications.models import Notification, NotificationPreference
from privacy.erasure import ErasureRefused, erase_account
from privacy.export import data_export_request
from submissions.models import CoachingEntry, Message, Project
from tests.factories import PASSWORD, AssociationFactory, InvitationFactory, UserFactory, member_of
from tests.jury.factories import jury_session
from tests.jury.test_services import declare, save
from tests.network.factories import MeetingFactory, NetworkMemberFactory, RegistrationFactory
from tests.submissions.factories import CoachingEntryFactory, MessageFactory, ProjectFactory
from tests.utils import sign_in

pytestmark = pytest.mark.django_db

ERASE_URL = "/espace/mes-donnees/supprimer-mon-compte/"
ERASE_FORM = {"confirmed": "1", "password": PASSWORD, "understood": "on"}


@pytest.fixture
def dossier():
    """An association of two members, a coached project written by the first, its thread."""
    association = AssociationFactory()
    member = member_of(
        association,
        email="awa.diallo@exemple.test",
        first_name="Awa",
        last_name="Diallo",
        phone="06 12 34 56 78",
    )
    colleague = member_of(association)
    officer = UserFactory(officer=True)
    project = ProjectFactory(association=association, coaching=True, complete=True)
    message = MessageFactory(project=project, author=member, body="Voici le budget revu.")
    entry = CoachingEntryFactory(project=project, author=officer)
    return {
        "association": association,
        "member": member,
        "colleague": colleague,
        "officer": officer,
        "coordinator": UserFactory(coordinator=True),
        "project": project,
        "message": message,
        "entry": entry,
    }


def test_an_erased_account_is_named_compte_supprime_everywhere():
    user = User(first_name="Awa", last_name="Diallo", email="a@exemple.test")
    assert (str(user), user.get_full_name(), user.get_short_name()) == (
        "Awa Diallo",
        "Awa Diallo",
        "Awa",
    )

    user.erased_at = timezone.now()

    assert (str(user), user.get_full_name(), user.get_short_name()) == (
        ERASED_ACCOUNT_LABEL,
        ERASED_ACCOUNT_LABEL,
        ERASED_ACCOUNT_LABEL,
    )


def test_erasure_empties_the_account_and_keeps_the_dossier_whole(dossier, client):
    member = dossier["member"]
    project_before = Project.objects.values().get(pk=dossier["project"].pk)

    erased = erase_account(user=member, actor=member)

    row = User.objects.get(pk=member.pk)
    assert (row.first_name, row.last_name, row.phone) == ("Compte", "supprimé", "")
    assert row.email == f"compte-supprime-{member.pk}@efface.invalid"
    assert (row.is_active, row.has_usable_password(), row.erased_at is not None) == (
        False,
        False,
        True,
    )
    assert erased.get_full_name() == "Compte supprimé"
    sign_in = client.post(
        "/compte/connexion/", {"username": "awa.diallo@exemple.test", "password": PASSWORD}
    )
    assert (sign_in.status_code, sign_in.wsgi_request.user.is_authenticated) == (200, False)
    # Their place in the association goes; the colleague's stays.
    assert list(
        Membership.objects.filter(association=dossier["association"]).values_list(
            "user_id", flat=True
        )
    ) == [dossier["colleague"].pk]
    # The dossier and its thread are whole, written by the same (erased) row.
    assert Project.objects.values().get(pk=dossier["project"].pk) == project_before
    assert Message.objects.get(pk=dossier["message"].pk).author_id == member.pk
    assert Message.objects.get(pk=dossier["message"].pk).body == "Voici le budget revu."
    assert CoachingEntry.objects.filter(project=dossier["project"]).count() == 1


def test_erasure_is_written_in_the_event_log_without_personal_data(dossier):
    member = dossier["member"]

    erase_account(user=member, actor=member)

    events = Event.objects.filter(workflow="account", object_id=member.pk)
    event = events.get(action="erase")
    assert (event.actor_id, event.reason, event.changes) == (member.pk, "", {})
    # The trail also says which rights and memberships ended, as for any change of rights.
    left = events.get(action="membership")
    assert left.changes == {"association": [dossier["association"].name, None]}
    assert events.get(action="roles").changes == {"is_active": [True, False]}
    for entry in events.values():
        assert "awa" not in str(entry).lower()


def test_the_project_page_shows_compte_supprime_for_the_author(dossier, client):
    sign_in(client, dossier["officer"])
    url = reverse("submissions:project_detail", args=[dossier["project"].pk])
    assert "Awa" in client.get(url).text  # the page is now kept in the cache
    erase_account(user=dossier["member"], actor=dossier["member"])

    page = client.get(url)

    assert page.status_code == 200
    assert "<strong>Compte supprimé</strong>, le" in page.text
    assert "Awa" not in page.text and "Diallo" not in page.text


def test_erasure_ends_every_session_of_the_account(dossier):
    member = dossier["member"]
    phone, laptop = Client(), Client()
    phone.force_login(member)
    laptop.force_login(member)
    assert laptop.get("/espace/").status_code == 200

    phone.post(ERASE_URL, ERASE_FORM)

    answer = laptop.get("/espace/")
    assert (answer.status_code, answer.url) == (302, "/compte/connexion/?next=/espace/")


def test_the_erase_page_erases_signs_out_and_says_so(dossier, client):
    member = dossier["member"]
    client.force_login(member)

    answer = client.post(ERASE_URL, ERASE_FORM, follow=True)

    assert answer.redirect_chain == [("/", 302)]
    assert "Votre compte est supprimé." in answer.text
    assert not answer.wsgi_request.user.is_authenticated
    assert User.objects.get(pk=member.pk).erased_at is not None


def test_a_wrong_password_keeps_the_page_says_why_and_erases_nothing(dossier, client):
    member = dossier["member"]
    client.force_login(member)

    answer = client.post(ERASE_URL, {**ERASE_FORM, "password": "pas-le-bon-mot-de-passe"})

    assert answer.status_code == 400
    assert "Ce mot de passe n&#x27;est pas le bon : votre compte n&#x27;est pas supprimé." in (
        answer.text
    )
    # What was typed is not written back into the page.
    assert "pas-le-bon-mot-de-passe" not in answer.text
    assert User.objects.get(pk=member.pk).erased_at is None
    assert Event.objects.filter(workflow="account").count() == 0


def test_the_box_must_be_ticked(dossier, client):
    client.force_login(dossier["member"])

    answer = client.post(ERASE_URL, {**ERASE_FORM, "understood": ""})

    assert answer.status_code == 400
    assert "Cochez la case pour confirmer" in answer.text
    assert User.objects.get(pk=dossier["member"].pk).erased_at is None


def test_a_post_without_the_confirmation_page_only_shows_it(dossier, client):
    client.force_login(dossier["member"])

    answer = client.post(ERASE_URL, {"password": PASSWORD, "understood": "on"})

    assert answer.status_code == 200
    assert "Supprimer mon compte ?" in answer.text
    assert User.objects.get(pk=dossier["member"].pk).erased_at is None


def test_the_last_active_coordinator_may_not_erase_the_account(dossier, client):
    coordinator = dossier["coordinator"]
    client.force_login(coordinator)

    answer = client.post(ERASE_URL, ERASE_FORM)

    assert answer.status_code == 400
    assert "Vous êtes le dernier compte actif de la coordination" in answer.text
    assert User.objects.get(pk=coordinator.pk).erased_at is None
    with pytest.raises(ErasureRefused):
        erase_account(user=coordinator, actor=None)


def test_a_coordinator_with_a_colleague_may_erase_the_account(dossier):
    UserFactory(coordinator=True)

    erased = erase_account(user=dossier["coordinator"], actor=dossier["coordinator"])

    assert (erased.is_coordinator, erased.is_active) == (False, False)


def test_an_erased_account_is_not_erased_twice(dossier):
    erase_account(user=dossier["member"], actor=None)

    with pytest.raises(ErasureRefused, match="déjà supprimé"):
        erase_account(user=dossier["member"], actor=None)


def test_a_seat_to_come_is_given_up_and_every_registration_anonymised(
    dossier, mailoutbox, django_capture_on_commit_callbacks
):
    member = dossier["member"]
    address = member.email
    meeting = MeetingFactory(capacity=1)
    seat = RegistrationFactory(
        meeting=meeting, user=member, email=address, first_name="Awa", dietary_needs="Sans gluten"
    )
    waiting = RegistrationFactory(meeting=meeting, waitlisted=True)
    past = RegistrationFactory(meeting=MeetingFactory(past=True), user=member, attended=True)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=member, actor=member)

    seat.refresh_from_db()
    assert (
        seat.first_name,
        seat.last_name,
        seat.email,
        seat.dietary_needs,
        seat.user_id,
        seat.state,
    ) == (
        "Compte",
        "supprimé",
        f"inscription-{seat.pk}@efface.invalid",
        "",
        None,
        "cancelled",
    )
    # The freed seat goes to the waitlist, as any cancellation's does.
    assert Registration.objects.get(pk=waiting.pk).state == "confirmed"
    # The past meeting's attendance still counts.
    assert Registration.objects.values_list("state", "user_id", "first_name").get(pk=past.pk) == (
        "attended",
        None,
        "Compte",
    )
    assert Registration.objects.filter(email__icontains="awa").count() == 0
    # The cancellation was acknowledged to the address, before it was erased.
    assert [message.to for message in mailoutbox if "annul" in message.subject.lower()] == [
        [address]
    ]


def test_contacts_invitations_and_sign_in_logs_are_forgotten(dossier):
    member = dossier["member"]
    address = member.email
    network_member = NetworkMemberFactory(contact_name="Awa Diallo", contact_email=address)
    contract = CityContract.objects.get(slug="orly")
    CityContract.objects.filter(pk=contract.pk).update(
        officer_name="Awa Diallo", officer_email=address.upper()
    )
    invitation = InvitationFactory(association=AssociationFactory(), email=address)
    AccessAttempt.objects.create(username=address, ip_address="127.0.0.1", failures_since_start=2)

    erase_account(user=member, actor=member)

    assert NetworkMember.objects.values_list("contact_name", "contact_email", "contact_phone").get(
        pk=network_member.pk
    ) == ("", "", "")
    assert Event.objects.filter(workflow="network-member", object_id=network_member.pk).exists()
    assert CityContract.objects.values_list("officer_name", "officer_email").get(
        pk=contract.pk
    ) == ("", "")
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not AccessAttempt.objects.filter(username=address).exists()


def test_the_files_prepared_for_the_account_go_once_the_erasure_is_committed(
    dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive, _ = data_export_request(user=dossier["member"])
    archive.refresh_from_db()
    storage, name = archive.file.storage, archive.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(user=dossier["member"], actor=None)

    assert not BackgroundFile.objects.filter(owner=dossier["member"]).exists()
    assert not storage.exists(name)


def test_the_address_of_an_erased_account_is_free_again(dossier):
    erase_account(user=dossier["member"], actor=None)

    again = UserFactory(email="awa.diallo@exemple.test")

    assert again.pk != dossier["member"].pk


def test_a_jurors_evaluations_and_minutes_stay_whole():
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    save(juror, project, ["4"] * len(jury.criteria), submit=True, general_comment="Solide.")
    header, rows_before = documents.scores_table(jury.session)

    erase_account(user=juror.user, actor=juror.user)

    evaluation = Evaluation.objects.get(member=juror, project=project)
    assert (evaluation.state, evaluation.general_comment) == ("submitted", "Solide.")
    _, rows_after = documents.scores_table(jury.session)
    juror_column = header.index("Juré")
    assert [row[juror_column] for row in rows_after] == ["Compte supprimé"]
    # Every other figure of the minutes' table is the same.
    strip = [row[:juror_column] + row[juror_column + 1 :] for row in rows_before]
    assert [row[:juror_column] + row[juror_column + 1 :] for row in rows_after] == strip
    minutes = render_to_string("jury/pdf/minutes.html", documents.minutes_context(jury.session))
    assert "Compte supprimé (" in minutes


def test_notifications_choices_and_mailed_texts_are_forgotten(
    dossier, django_capture_on_commit_callbacks
):
    member, project = dossier["member"], dossier["project"]
    context = {"project": project, "project_url": "http://testserver/"}
    notification_services.notify(
        kind="message",
        users=[member],
        title="Nouveau message",
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        context=context,
    )
    NotificationPreference.objects.create(user=member, kind="message", delivery="never")

    def mailing():
        return notification_services.mailing_compose(
            kind="reminder",
            title="Relance",
            template="submissions/email/assigned",
            recipients=[notification_services.Recipient(user=member, context=context, link="/")],
            actor=dossier["coordinator"],
        )

    sent, draft = mailing(), mailing()
    with django_capture_on_commit_callbacks(execute=True):
        notification_services.mailing_send(mailing=sent, actor=dossier["coordinator"])

    # The notification's mail waits in the queue (the mail server is down).
    assert OutgoingMail.objects.filter(
        to__contains=["awa.diallo@exemple.test"], outbox_message__isnull=True
    ).exists()

    erase_account(user=member, actor=member)

    assert not Notification.objects.filter(user=member).exists()
    assert not NotificationPreference.objects.filter(user=member).exists()
    assert not draft.messages.exists()
    [kept] = sent.messages.values(
        "email", "text", "html", "user", "subject", "mail__status", "mail__to", "mail__text"
    )
    assert kept["email"].endswith("@efface.invalid")
    assert (kept["text"], kept["html"], kept["user"], kept["mail__status"]) == (
        "",
        "",
        None,
        "sent",
    )
    # The queue's copy of the mailed text is forgotten too; the notification's mail is gone.
    assert (kept["mail__to"], kept["mail__text"]) == ([kept["email"]], "")
    assert not OutgoingMail.objects.filter(to__contains=["awa.diallo@exemple.test"]).exists()
