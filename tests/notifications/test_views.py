"""The notifications pages: the list, opening one, the preferences, the outbox."""

import html
import re

import html5lib
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import services
from notifications.enums import Delivery, MailingState
from notifications.models import Mailing, Notification, NotificationPreference
from submissions.selectors import open_edition
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory


def _text(response) -> str:
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _valid(response):
    html5lib.HTMLParser(strict=True).parse(response.content)
    return response


def _notify(user, title="Nouveau message : Cuisines du monde", link="/espace/projets/1/"):
    (row,) = services.notify(
        kind="message",
        users=[user],
        title=title,
        link=link,
        mail_template="submissions/email/assigned",
        context={"project": ProjectFactory(), "project_url": "http://testserver/p/"},
    )
    return row


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_shows_unread_first_and_the_count_in_the_navigation(client, db):
    reader = UserFactory()
    read = _notify(reader, title="Ancienne nouvelle")
    services.notification_open(notification=read, user=reader)
    _notify(reader, title="Toute nouvelle")
    _notify(UserFactory(), title="Celle d'un autre")
    client.force_login(reader)

    response = _valid(client.get(reverse("notifications:list")))

    text = _text(response)
    assert "1 notification non lue, en tête de liste." in text
    assert text.index("Non lue Messages des projets") < text.index("Toute nouvelle")
    assert text.index("Toute nouvelle") < text.index("Ancienne nouvelle")
    assert "Celle d'un autre" not in text
    nav = response.content.decode().split('aria-label="Mon compte"', 1)[1].split("</nav>", 1)[0]
    assert (
        'Notifications <span aria-hidden="true">(1)</span>'
        '<span class="visually-hidden"> : 1 non lue</span>' in nav
    )


def test_the_list_costs_the_same_with_one_or_many_notifications(client, db):
    reader = UserFactory()
    client.force_login(reader)
    _notify(reader)
    url = reverse("notifications:list")
    with_one = _count(client, url)

    for index in range(30):
        row = _notify(reader, title=f"Nouvelle n° {index}")
        if index % 2:
            services.notification_open(notification=row, user=reader)
    with_many = _count(client, url)

    assert with_one == with_many


def test_opening_marks_read_and_follows_the_link(client, db):
    reader = UserFactory()
    row = _notify(reader, link="/espace/projets/12/#messages")
    client.force_login(reader)

    response = client.post(reverse("notifications:open", args=[row.pk]))

    assert response.status_code == 302
    assert response.url == "/espace/projets/12/#messages"
    row.refresh_from_db()
    assert row.read_at is not None


def test_nobody_opens_another_persons_notification(client, db):
    row = _notify(UserFactory())
    client.force_login(UserFactory(coordinator=True))

    assert client.post(reverse("notifications:open", args=[row.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[row.pk])).status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_read_all_marks_only_mine(client, db):
    reader = UserFactory()
    _notify(reader)
    _notify(reader)
    other = _notify(UserFactory())
    client.force_login(reader)

    response = client.post(reverse("notifications:read_all"))

    assert response.url == reverse("notifications:list")
    assert _messages(response) == ["2 notifications marquées lues."]
    assert Notification.objects.filter(user=reader, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_show_the_persons_kinds_and_the_mandatory_ones(client, db):
    member = member_of(AssociationFactory())
    client.force_login(member)

    response = _valid(client.get(reverse("notifications:preferences")))

    text = _text(response)
    assert "Messages des projets" in text
    assert "Projets attribués à votre territoire" not in text  # a chef de projet's
    assert "Accusé de dépôt : obligatoire." in text
    assert "Résultats du label : obligatoire." in text
    assert 'name="deposit_receipt"' not in response.content.decode()
    assert 'value="immediate" class="form-check-input" required id="id_message_0" checked' in (
        response.content.decode()
    )


def test_preferences_are_saved_and_a_forged_mandatory_choice_is_ignored(client, db):
    member = member_of(AssociationFactory())
    client.force_login(member)
    choices = {
        "project_state": "immediate",
        "message": "digest",
        "coaching_shared": "never",
        "report": "immediate",
        "reminder": "never",
        "deposit_receipt": "never",
        "results": "never",
    }

    response = client.post(reverse("notifications:preferences"), choices)

    assert response.status_code == 302
    assert _messages(response) == ["Vos choix de notifications sont enregistrés."]
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery"))
    assert saved == {
        "project_state": "immediate",
        "message": "digest",
        "coaching_shared": "never",
        "report": "immediate",
        "reminder": "never",
    }
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="digest" class="form-check-input" required id="id_message_1" checked' in page


def test_a_bad_choice_is_explained_and_the_other_choices_are_kept(client, db):
    member = member_of(AssociationFactory())
    client.force_login(member)

    response = client.post(
        reverse("notifications:preferences"),
        {"project_state": "never", "message": "souvent", "coaching_shared": "digest"},
    )

    assert response.status_code == 400
    _valid(response)
    page = response.content.decode()
    assert "Sélectionnez un choix valide" in html.unescape(page)
    assert "Choisissez comment recevoir : Bilans des lauréats." in html.unescape(page)
    assert 'value="never" class="form-check-input" required id="id_project_state_2" checked' in page
    assert (
        'value="digest" class="form-check-input" required id="id_coaching_shared_1" checked' in page
    )
    assert NotificationPreference.objects.count() == 0


# --- the outbox ------------------------------------------------------------------------------


def _mailing(people, coordinator):
    project = ProjectFactory(title="Cuisines du monde")
    edition = open_edition() or EditionFactory(open=True)
    return services.mailing_compose(
        kind="reminder",
        title="Relance : dossiers pas encore déposés",
        template="submissions/email/deposit_reminder",
        recipients=[
            services.Recipient(
                user=person,
                context={
                    "project": project,
                    "edition": edition,
                    "deadline": "31 mars 2026 à 23:59",
                    "project_url": f"http://testserver{project.get_absolute_url()}",
                },
                link=project.get_absolute_url(),
            )
            for person in people
        ],
        actor=coordinator,
    )


def test_the_coordinator_previews_then_sends_a_mailing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(coordinator=True)
    awa = UserFactory(email="awa@exemple.test", first_name="Awa", last_name="Diallo")
    mailing = _mailing([awa, UserFactory(email="karim@exemple.test")], coordinator)
    client.force_login(coordinator)

    outbox = _text(_valid(client.get(reverse("notifications:outbox"))))
    assert "Relance : dossiers pas encore déposés Relances de la coordination Brouillon 2" in outbox
    detail = _text(_valid(client.get(mailing.get_absolute_url())))
    assert "Messages à relire" in detail
    assert "Awa Diallo awa@exemple.test Rappel : déposez « Cuisines du monde »" in detail
    message = mailing.messages.get(email="awa@exemple.test")
    preview = _text(_valid(client.get(message.get_absolute_url())))
    assert "Bonjour Awa," in preview
    assert "L'équipe du Label Actions Innovantes" in preview
    url = reverse("notifications:mailing_send", args=[mailing.pk])
    confirm = _text(_valid(client.get(url)))
    assert "Envoyer « Relance : dossiers pas encore déposés » ? 2 destinataires." in confirm
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"confirmed": "1"})

    assert response.url == mailing.get_absolute_url()
    assert _messages(again)[-1] == "Cet envoi est déjà parti ou a été annulé."
    assert sorted(mail.to[0] for mail in mailoutbox) == ["awa@exemple.test", "karim@exemple.test"]
    sent = _text(_valid(client.get(mailing.get_absolute_url())))
    assert "Ce qui a été envoyé à qui" in sent
    assert "2 destinataires : 2 mails envoyés." in sent
    assert Mailing.objects.get().state == MailingState.SENT
    assert Notification.objects.filter(user=awa, kind="reminder").count() == 1


def test_a_coordinator_prepares_the_deposit_reminder_once_from_the_outbox(client, db):
    coordinator = UserFactory(coordinator=True)
    EditionFactory(open=True)
    project = ProjectFactory(coaching=True, complete=True)
    member_of(project.association)
    client.force_login(coordinator)
    page = client.get(reverse("notifications:outbox")).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    data = {"composition": "relance-depot", "submission_key": key}

    first = client.post(reverse("notifications:outbox"), data)
    second = client.post(reverse("notifications:outbox"), data)

    mailing = Mailing.objects.get()
    assert first.url == second.url == mailing.get_absolute_url()
    assert mailing.messages.count() == 1
    unknown = client.post(reverse("notifications:outbox"), {"composition": "personne"})
    assert _messages(unknown)[-1] == "Cet envoi n'existe pas."


def test_the_outbox_costs_the_same_with_one_or_many_mailings(client, db):
    coordinator = UserFactory(coordinator=True)
    client.force_login(coordinator)
    _mailing([UserFactory()], coordinator)
    url = reverse("notifications:outbox")
    with_one = _count(client, url)

    for _ in range(8):
        _mailing([UserFactory(), UserFactory()], coordinator)
    with_many = _count(client, url)

    assert with_one == with_many


def test_a_mailing_page_costs_the_same_with_one_or_many_recipients(client, db):
    coordinator = UserFactory(coordinator=True)
    client.force_login(coordinator)
    few = _mailing([UserFactory()], coordinator)
    many = _mailing([UserFactory() for _ in range(12)], coordinator)

    assert _count(client, few.get_absolute_url()) == _count(client, many.get_absolute_url())


def test_a_cancelled_mailing_is_shown_as_such(client, db, mailoutbox):
    coordinator = UserFactory(coordinator=True)
    mailing = _mailing([UserFactory()], coordinator)
    client.force_login(coordinator)
    url = reverse("notifications:mailing_cancel", args=[mailing.pk])

    response = client.post(url, {"confirmed": "1"})

    assert _messages(response) == ["Envoi annulé : aucun mail n'est parti."]
    assert Mailing.objects.get().state == MailingState.CANCELLED
    assert mailoutbox == []
    assert 'href="/espace/envois/' not in _text(client.get(mailing.get_absolute_url()))


def test_the_unread_count_costs_no_query_for_a_visitor(client, db):
    response = client.get(reverse("pages:legal"))

    assert "Notifications" not in response.content.decode().split("<main", 1)[0]


def test_a_person_who_chose_the_digest_still_sees_it_in_the_portal(client, db):
    reader = UserFactory()
    NotificationPreference.objects.create(user=reader, kind="message", delivery=Delivery.DIGEST)
    _notify(reader, title="À lire demain matin aussi")
    client.force_login(reader)

    assert "À lire demain matin aussi" in _text(client.get(reverse("notifications:list")))


def test_a_juror_has_only_mandatory_kinds_and_no_form(client, db):
    client.force_login(UserFactory(juror=True))

    response = _valid(client.get(reverse("notifications:preferences")))

    text = _text(response)
    assert "Toutes les notifications qui vous concernent sont obligatoires" in text
    assert "Convocations au jury : obligatoire." in text
    assert '<form method="post" novalidate>' not in response.content.decode()


def test_the_unread_count_is_read_with_the_signed_in_person(client, db):
    reader = UserFactory()
    _notify(reader)
    client.force_login(reader)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))

    assert "(1)" in _navigation(response)
    reads = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(reads) == 1
    assert reads[0].startswith('SELECT "accounts_user"."id"')


def test_a_new_notification_shows_in_the_count_of_the_next_page(client, db):
    reader = UserFactory()
    client.force_login(reader)
    assert "Notifications</a>" in _navigation(client.get(reverse("dashboard")))

    _notify(reader)
    _notify(UserFactory())

    assert "(1)" in _navigation(client.get(reverse("dashboard")))


def test_the_notifications_page_counts_the_unread_once(client, db):
    reader = UserFactory()
    _notify(reader)
    _notify(reader)
    client.force_login(reader)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:list"))

    assert "2 notifications non lues, en tête de liste." in _text(response)
    assert "(2)" in _navigation(response)
    counts = [q["sql"] for q in queries if 'read_at" IS NULL' in q["sql"]]
    assert len(counts) == 1


def _navigation(response) -> str:
    return response.content.decode().split("<main", 1)[0]


def test_nobody_else_marks_my_notification_read(db):
    row = _notify(UserFactory())

    with pytest.raises(ValidationError):
        services.notification_open(notification=row, user=UserFactory())
    row.refresh_from_db()
    assert row.read_at is None
