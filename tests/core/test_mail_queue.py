"""The outgoing-mail queue: no mail lost while the mail server is down, none sent twice."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core import schedule
from core.mail import (
    JOB_NAME,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    RenderedMail,
    queue_mail,
    send_due,
)
from core.models import MailStatus, OutgoingMail
from notifications import services as notification_services
from tests.core.mail_backends import FlakyBackend
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import ProjectFactory
from tests.test_query_counts import count_queries
from tests.utils import page

FLAKY = {"default": {"BACKEND": "tests.core.mail_backends.FlakyBackend", "OPTIONS": {}}}


@pytest.fixture
def mail_server(settings):
    """The mail server: ``mail_server.down(n)`` refuses the next n sends."""
    settings.MAILERS = FLAKY
    FlakyBackend.failures_left, FlakyBackend.refused_for_good, FlakyBackend.tries = 0, False, 0

    class Server:
        @staticmethod
        def down(times: int) -> None:
            FlakyBackend.failures_left = times

        @staticmethod
        def back() -> None:
            FlakyBackend.failures_left = 0

        @staticmethod
        def tries() -> int:
            return FlakyBackend.tries

    yield Server
    FlakyBackend.failures_left, FlakyBackend.refused_for_good = 0, False


def _queue(subject="Accusé de dépôt", to="awa@exemple.test", **kwargs) -> OutgoingMail:
    mail = RenderedMail(subject=subject, text="Bonjour Awa,\n", html="<p>Bonjour Awa,</p>")
    row = queue_mail(mail=mail, to=[to], template="submissions/email/deposited", **kwargs)
    assert row is not None
    return row


def test_a_message_posted_while_the_mail_server_is_down_is_saved_and_its_mail_waits(
    client, db, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    association = AssociationFactory()
    member = member_of(association)
    project = ProjectFactory(association=association, coaching=True)
    UserFactory(email="chef@seine-amont.test", officer=True)
    client.force_login(member)
    mail_server.down(100)

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("submissions:message_create", args=[project.pk]),
            {"body": "Voici le budget revu."},
        )

    # The message is saved; its mail waits, tried once, for another try a minute later.
    assert answer.status_code == 302
    assert list(project.messages.values_list("body", flat=True)) == ["Voici le budget revu."]
    assert mailoutbox == []
    waiting = OutgoingMail.objects.get()
    assert (waiting.to, waiting.status, waiting.attempts) == (
        ["chef@seine-amont.test"],
        MailStatus.QUEUED,
        1,
    )
    assert waiting.last_error.startswith(("SMTPServerDisconnected", "ConnectionRefusedError"))
    assert waiting.next_attempt_at == waiting.last_attempt_at + timedelta(minutes=1)

    # Before its time nothing is tried; once the server is back, the job sends it, once.
    mail_server.back()
    assert str(send_due(now=waiting.last_attempt_at + timedelta(seconds=30))) == (
        "0 mails envoyés, 0 encore en attente, 0 abandonnés."
    )
    assert mailoutbox == []
    later = waiting.next_attempt_at
    assert str(send_due(now=later)) == "1 mail envoyé, 0 encore en attente, 0 abandonnés."
    assert str(send_due(now=later + timedelta(hours=1))).startswith("0 mails envoyés")
    (sent,) = mailoutbox
    assert sent.to == ["chef@seine-amont.test"]
    assert "Voici le budget revu." in sent.body
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, waiting.sent_at, waiting.last_error) == (
        MailStatus.SENT,
        2,
        later,
        "",
    )


def test_a_rolled_back_change_leaves_no_mail(db, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the change fails")

    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_each_try_waits_longer_and_the_last_one_gives_up(
    db, mail_server, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    mail_server.down(1000)
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue()
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        row.refresh_from_db()
        waits.append(row.next_attempt_at - row.last_attempt_at)
        send_due(now=row.next_attempt_at)

    row.refresh_from_db()
    assert waits == RETRY_DELAYS
    assert (row.status, row.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)
    assert mail_server.tries() == MAX_ATTEMPTS
    assert "failed for good after 7 tries" in caplog.text
    # Given up: the job tries it no more.
    assert str(send_due(now=row.next_attempt_at + timedelta(days=30))).startswith("0 mails")
    assert mail_server.tries() == MAX_ATTEMPTS
    assert mailoutbox == []


def test_a_run_stops_once_the_server_looks_down_and_the_next_one_goes_on(
    db, mail_server, mailoutbox
):
    for number in range(5):
        OutgoingMail.objects.create(to=["awa@exemple.test"], subject=f"Mail {number}", text="…")
    mail_server.down(3)
    now = timezone.now()

    assert str(send_due(now=now)) == (
        "0 mails envoyés, 3 encore en attente, 0 abandonnés. Le serveur de mail ne répond "
        "pas : les autres attendent le prochain passage."
    )
    assert mail_server.tries() == 3
    # The next run (the server is back) sends the two not tried; the others at their time.
    assert str(send_due(now=now + timedelta(seconds=59))).startswith("2 mails envoyés, 0 ")
    assert str(send_due(now=now + timedelta(minutes=1))).startswith("3 mails envoyés, 0 ")
    assert sorted(mail.subject for mail in mailoutbox) == [
        f"[Label Actions Innovantes] Mail {number}" for number in range(5)
    ]


def test_an_address_refused_for_good_fails_at_once(
    db, mail_server, django_capture_on_commit_callbacks
):
    FlakyBackend.refused_for_good = True
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(to="personne@exemple.test")

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 1)
    assert row.last_error.startswith("SMTPRecipientsRefused")


def test_attachments_and_reply_to_leave_as_they_were_given(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _queue(
            attachments=[
                ("rencontre.ics", "BEGIN:VCALENDAR", "text/calendar"),
                ("qr.png", b"\x89PNG", "image/png"),
            ],
            reply_to=["chef@seine-amont.test"],
        )

    (sent,) = mailoutbox
    assert sent.attachments == [
        ("rencontre.ics", "BEGIN:VCALENDAR", "text/calendar"),
        ("qr.png", b"\x89PNG", "image/png"),
    ]
    assert sent.reply_to == ["chef@seine-amont.test"]
    assert sent.alternatives[0].content == "<p>Bonjour Awa,</p>"


def test_a_mail_held_by_one_worker_is_skipped_by_another(transactional_db, mail_server, mailoutbox):
    # Written as committed, its task not run (queue_mail would send it at once here).
    row = OutgoingMail.objects.create(to=["awa@exemple.test"], subject="Accusé", text="Bonjour")
    held, release = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                OutgoingMail.objects.select_for_update().get(pk=row.pk)
                held.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert held.wait(timeout=10)
    try:
        # The other worker does not wait for the row, nor send it.
        assert str(send_due(now=timezone.now())).startswith("0 mails envoyés")
    finally:
        release.set()
        worker.join()
    assert mailoutbox == []
    assert str(send_due(now=timezone.now())).startswith("1 mail envoyé")
    assert str(send_due(now=timezone.now())).startswith("0 mails envoyés")
    assert len(mailoutbox) == 1


def test_the_queue_is_a_scheduled_job(db, mail_server, mailoutbox):
    mail_server.down(1)
    _queue()  # Its task never ran (the transaction is not committed here).
    job = next(job for job in schedule.registered_jobs() if job.name == JOB_NAME)
    scheduler = schedule.Scheduler(jobs=[job])

    (outcome,) = scheduler.run_all()
    assert (outcome.ok, outcome.summary) == (
        True,
        "Mails en attente : 0 mails envoyés, 1 encore en attente, 0 abandonnés.",
    )
    assert job.interval == timedelta(minutes=1)


# --- what the coordination sees -------------------------------------------------------------


def _failed(subject: str, to: str = "panne@exemple.test") -> OutgoingMail:
    return OutgoingMail.objects.create(
        to=[to],
        subject=subject,
        text="Bonjour",
        status=MailStatus.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError : [Errno 111] Connection refused",
    )


def test_the_coordination_sees_failed_mails_and_sends_one_again(
    client, db, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    failed = _failed("Accusé de dépôt : Cuisines du monde")
    _queue(subject="Une invitation qui attend")
    OutgoingMail.objects.create(to=["a@exemple.test"], subject="Parti", status=MailStatus.SENT)
    client.force_login(UserFactory(coordinator=True))

    outbox = page(client.get(reverse("notifications:outbox")))
    assert "1 mail en échec" in outbox
    assert "1 mail en attente d'envoi." in outbox
    listed = page(client.get(reverse("notifications:mail_queue")))
    assert "2 mails non envoyés, les échecs d'abord" in listed
    assert listed.index("Accusé de dépôt : Cuisines du monde") < listed.index(
        "Une invitation qui attend"
    )
    assert "Échec de l'envoi</strong> après 7 essais" in listed
    assert "Connection refused" in listed
    assert "Parti" not in listed
    assert listed.count("Renvoyer") == 1

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("notifications:mail_retry", args=[failed.pk]), follow=True)

    assert "Le mail à panne@exemple.test est renvoyé" in page(answer)
    assert [mail.subject for mail in mailoutbox] == [
        "[Label Actions Innovantes] Accusé de dépôt : Cuisines du monde"
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MailStatus.SENT, MAX_ATTEMPTS + 1)
    assert "Cuisines du monde" not in page(client.get(reverse("notifications:mail_queue")))
    # A second click finds it sent: no longer in the list, nothing leaves again.
    again = client.post(reverse("notifications:mail_retry", args=[failed.pk]))
    assert again.status_code == 404
    assert len(mailoutbox) == 1


def test_a_retry_that_fails_again_is_failed_again(
    client, db, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    failed = _failed("Accusé de dépôt")
    mail_server.down(1)
    client.force_login(UserFactory(coordinator=True))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:mail_retry", args=[failed.pk]))

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS + 1)
    assert mailoutbox == []


def test_the_unsent_mails_page_costs_the_same_with_one_or_many(client, db):
    client.force_login(UserFactory(coordinator=True))
    url = reverse("notifications:mail_queue")
    _failed("Premier")
    one = count_queries(client, url)
    for number in range(6):
        _failed(f"Échec {number}")
        _queue(subject=f"Attente {number}")

    assert count_queries(client, url) == one


def test_a_mailing_shows_which_mails_wait_or_failed(
    client, db, mail_server, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(coordinator=True)
    people = [UserFactory(email=f"personne{n}@exemple.test") for n in range(3)]
    project = ProjectFactory()
    mailing = notification_services.mailing_compose(
        kind="reminder",
        title="Relance",
        template="submissions/email/assigned",
        recipients=[
            notification_services.Recipient(
                user=person,
                context={"project": project, "project_url": "http://testserver/"},
                link="/",
            )
            for person in people
        ],
        actor=coordinator,
    )
    mail_server.down(1)

    with django_capture_on_commit_callbacks(execute=True):
        notification_services.mailing_send(mailing=mailing, actor=coordinator)

    client.force_login(coordinator)
    detail = page(client.get(mailing.get_absolute_url()))
    assert "3 destinataires : 2 mails envoyés, 1 en attente." in detail
    assert "En attente après 1 essai, nouvel essai le" in detail
    assert len(mailoutbox) == 2
    listed = page(client.get(reverse("notifications:mail_queue")))
    assert f'envoi groupé <a href="{mailing.get_absolute_url()}">Relance</a>' in listed
