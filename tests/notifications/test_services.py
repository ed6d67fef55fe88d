"""notify() by preference, the daily digest, the outbox of mass mailings."""

import datetime

import pytest
from django.utils import timezone

from core.models import MailStatus
from core.workflow import TransitionRefused
from notifications import services
from notifications.enums import Delivery, MailingState
from notifications.kinds import KINDS, kinds_for
from notifications.models import DigestMail, Mailing, Notification, NotificationPreference
from notifications.selectors import deliveries_of, unread_count
from submissions.selectors import open_edition
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.notifications.backends import FailingForSomeBackend  # noqa: F401
from tests.submissions.factories import EditionFactory, ProjectFactory

PREFIX = "[Label Actions Innovantes] "
FAILING_MAILERS = {
    "default": {"BACKEND": "tests.notifications.backends.FailingForSomeBackend", "OPTIONS": {}}
}


def _tell(users, *, kind="message", title="Nouveau message : Cuisines du monde"):
    project = ProjectFactory(title="Cuisines du monde")
    return services.notify(
        kind=kind,
        users=users,
        title=title,
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        context={"project": project, "project_url": f"http://testserver/p/{project.pk}/"},
    )


def _choose(user, kind, delivery):
    NotificationPreference.objects.create(user=user, kind=kind, delivery=delivery)


def test_every_kind_is_declared_once_with_a_french_label():
    keys = [kind.key for kind in KINDS]

    assert len(keys) == len(set(keys))
    assert {kind.key for kind in KINDS if kind.mandatory} == {
        "account",
        "deposit_receipt",
        "convocation",
        "results",
    }
    assert all(kind.label and kind.description and kind.roles for kind in KINDS)


def test_notify_follows_each_persons_choice(db, mailoutbox, django_capture_on_commit_callbacks):
    now, daily, never = (
        UserFactory(email="vite@exemple.test"),
        UserFactory(email="resume@exemple.test"),
        UserFactory(email="jamais@exemple.test"),
    )
    _choose(daily, "message", Delivery.DIGEST)
    _choose(never, "message", Delivery.NEVER)

    with django_capture_on_commit_callbacks(execute=True):
        rows = _tell([now, daily, never, now])

    assert sorted((row.user.email, row.delivery) for row in rows) == [
        ("jamais@exemple.test", "never"),
        ("resume@exemple.test", "digest"),
        ("vite@exemple.test", "immediate"),
    ]
    assert [mail.to for mail in mailoutbox] == [["vite@exemple.test"]]
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    assert [unread_count(user) for user in (now, daily, never)] == [1, 1, 1]


def test_a_mandatory_kind_leaves_at_once_whatever_a_preference_row_says(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="membre@exemple.test")
    _choose(user, "deposit_receipt", Delivery.NEVER)

    with django_capture_on_commit_callbacks(execute=True):
        (row,) = _tell([user], kind="deposit_receipt", title="Accusé de dépôt : Cuisines du monde")

    assert row.delivery == Delivery.IMMEDIATE
    assert [mail.to for mail in mailoutbox] == [["membre@exemple.test"]]


def test_notify_skips_inactive_people_and_nobody_is_fine(db, mailoutbox):
    assert _tell([UserFactory(is_active=False)]) == []
    assert _tell([]) == []
    assert Notification.objects.count() == 0


def test_preferences_save_keeps_the_choice_but_never_switches_off_a_mandatory_kind(db):
    member = member_of(AssociationFactory())

    services.preferences_save(
        user=member,
        deliveries={
            "message": Delivery.DIGEST,
            "coaching_shared": Delivery.NEVER,
            "deposit_receipt": Delivery.NEVER,
            "results": Delivery.DIGEST,
            "project_assigned": Delivery.NEVER,  # a chef de projet's kind: not this person's
            "project_state": "tous-les-jours",  # not a delivery
        },
    )

    assert dict(NotificationPreference.objects.values_list("kind", "delivery")) == {
        "message": "digest",
        "coaching_shared": "never",
    }
    deliveries = deliveries_of(member)
    assert deliveries["deposit_receipt"] == deliveries["results"] == "immediate"
    assert deliveries["project_state"] == "immediate"
    assert "project_assigned" not in {kind.key for kind in kinds_for(member)}


def test_the_digest_groups_by_kind_and_leaves_once_a_day(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="resume@exemple.test", first_name="Awa")
    other = UserFactory(email="autre@exemple.test")
    for person in (reader, other):
        for kind in ("message", "project_state"):
            _choose(person, kind, Delivery.DIGEST)
    _tell([reader], title="Nouveau message : Cuisines du monde")
    _tell([reader], kind="project_state", title="Cuisines du monde : déposé")
    _tell([reader, other], title="Nouveau message : Jardin partagé")
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 7, 5))

    with django_capture_on_commit_callbacks(execute=True):
        summary = services.digests_send(now=morning)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.digests_send(now=morning + datetime.timedelta(hours=1))

    assert str(summary) == "2 résumés envoyés, 4 notifications regroupées."
    assert str(again) == "0 résumés envoyés, 0 notifications regroupées."
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "autre@exemple.test",
        "resume@exemple.test",
    ]
    mail = next(m for m in mailoutbox if m.to == ["resume@exemple.test"])
    assert mail.subject == f"{PREFIX}Votre résumé du jour : 3 notifications"
    assert mail.body.startswith("Bonjour Awa,")
    messages_at = mail.body.index("Messages des projets :")
    steps_at = mail.body.index("Étapes des projets :")
    assert steps_at < messages_at  # in the kinds' order
    assert "- Cuisines du monde : déposé" in mail.body[steps_at:messages_at]
    assert "- Nouveau message : Cuisines du monde" in mail.body[messages_at:]
    assert "- Nouveau message : Jardin partagé" in mail.body[messages_at:]
    assert "http://testserver/espace/notifications/preferences/" in mail.body
    assert DigestMail.objects.count() == 2
    assert Notification.objects.filter(delivery="digest", digest__isnull=True).count() == 0


def test_what_arrives_after_todays_digest_waits_for_tomorrows(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="resume@exemple.test")
    _choose(reader, "message", Delivery.DIGEST)
    _tell([reader])
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send(now=morning)
    _tell([reader], title="Nouveau message : plus tard")

    with django_capture_on_commit_callbacks(execute=True):
        same_day = services.digests_send(now=morning + datetime.timedelta(hours=5))
        next_day = services.digests_send(now=morning + datetime.timedelta(days=1))

    assert (same_day.sent, next_day.sent) == (0, 1)
    assert len(mailoutbox) == 2
    assert "plus tard" in mailoutbox[1].body


def test_the_digest_dry_run_sends_nothing(db, mailoutbox, django_capture_on_commit_callbacks):
    reader = UserFactory(email="resume@exemple.test")
    _choose(reader, "message", Delivery.DIGEST)
    _tell([reader])

    with django_capture_on_commit_callbacks(execute=True):
        summary = services.digests_send(now=timezone.now(), dry_run=True)

    assert (summary.sent, summary.people) == (1, ["resume@exemple.test"])
    assert mailoutbox == []
    assert DigestMail.objects.count() == 0


def test_the_scheduled_job_waits_for_the_morning(db):
    from notifications.schedule import daily_digests

    night = timezone.make_aware(datetime.datetime(2026, 3, 2, 3, 0))

    assert daily_digests(night) == "Résumés quotidiens : envoyés à partir de 7 h."
    assert daily_digests(night.replace(hour=9)) == (
        "Résumés quotidiens : 0 résumés envoyés, 0 notifications regroupées."
    )


# --- the outbox ------------------------------------------------------------------------------


def _draft(people, *, kind="reminder"):
    project = ProjectFactory(title="Cuisines du monde")
    edition = open_edition() or EditionFactory(open=True)
    return services.mailing_compose(
        kind=kind,
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
        actor=UserFactory(coordinator=True),
    )


def test_a_composed_mailing_is_a_draft_with_each_mail_rendered(db, mailoutbox):
    awa = UserFactory(email="awa@exemple.test", first_name="Awa")
    karim = UserFactory(email="karim@exemple.test", first_name="Karim")
    quiet = UserFactory(email="silence@exemple.test")
    _choose(quiet, "reminder", Delivery.NEVER)

    mailing = _draft([karim, awa, quiet])

    assert mailing.state == MailingState.DRAFT
    messages = list(mailing.messages.order_by("email"))
    assert [(m.email, m.status) for m in messages] == [
        ("awa@exemple.test", "pending"),
        ("karim@exemple.test", "pending"),
    ]
    assert (
        messages[0].subject
        == "Rappel : déposez « Cuisines du monde » avant le 31 mars 2026 à 23:59"
    )
    assert messages[0].text.startswith("Bonjour Awa,")
    assert '<html lang="fr">' in messages[0].html
    assert mailoutbox == []
    assert Notification.objects.count() == 0


def test_sending_a_mailing_notes_each_recipients_outcome(
    db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING_MAILERS
    people = [
        UserFactory(email="awa@exemple.test"),
        UserFactory(email="panne@exemple.test"),
        UserFactory(email="karim@exemple.test"),
    ]
    mailing = _draft(people)
    coordinator = UserFactory(coordinator=True)

    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_send(mailing=mailing, actor=coordinator)

    mailing = Mailing.objects.get(pk=mailing.pk)
    assert mailing.state == MailingState.SENT
    assert mailing.sent_at is not None
    # The mail the server refused waits in the queue for another try.
    assert dict(mailing.messages.values_list("email", "mail__status")) == {
        "awa@exemple.test": MailStatus.SENT,
        "panne@exemple.test": MailStatus.QUEUED,
        "karim@exemple.test": MailStatus.SENT,
    }
    assert mailing.messages.get(email="panne@exemple.test").mail.attempts == 1
    assert sorted(mail.to[0] for mail in mailoutbox) == ["awa@exemple.test", "karim@exemple.test"]
    assert all(mail.alternatives for mail in mailoutbox)
    # Everyone reads it in their space, the mail failed or not.
    assert sorted(Notification.objects.values_list("user__email", "kind")) == [
        ("awa@exemple.test", "reminder"),
        ("karim@exemple.test", "reminder"),
        ("panne@exemple.test", "reminder"),
    ]
    from core.models import Event

    assert list(
        Event.objects.for_object(mailing).values_list("action", "from_state", "to_state")
    ) == [("send", "draft", "sending"), ("finish", "sending", "sent")]


def test_a_mailing_leaves_once(db, mailoutbox, django_capture_on_commit_callbacks):
    mailing = _draft([UserFactory(email="awa@exemple.test")])
    coordinator = UserFactory(coordinator=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_send(mailing=mailing, actor=coordinator)

    with pytest.raises(TransitionRefused) as refused:
        services.mailing_send(mailing=mailing, actor=coordinator)
    services.mailing_deliver(mailing_id=mailing.pk)

    assert refused.value.messages == ["Cet envoi est déjà parti ou a été annulé."]
    assert len(mailoutbox) == 1


def test_only_the_coordination_sends_and_an_empty_mailing_is_refused(db):
    mailing = _draft([UserFactory()])
    with pytest.raises(TransitionRefused):
        services.mailing_send(mailing=mailing, actor=UserFactory())
    empty = _draft([])
    with pytest.raises(TransitionRefused) as refused:
        services.mailing_send(mailing=empty, actor=UserFactory(coordinator=True))

    assert refused.value.messages == ["Cet envoi n'a aucun destinataire."]
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.DRAFT


def test_a_cancelled_draft_never_leaves(db, mailoutbox):
    mailing = _draft([UserFactory()])
    coordinator = UserFactory(coordinator=True)

    services.mailing_cancel(mailing=mailing, actor=coordinator)

    with pytest.raises(TransitionRefused):
        services.mailing_send(mailing=mailing, actor=coordinator)
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.CANCELLED
    assert mailoutbox == []


def test_the_deposit_reminder_goes_to_the_members_of_projects_not_deposited(db):
    from submissions.mailings import deposit_reminder_compose

    EditionFactory(open=True, year=2026)
    coached = ProjectFactory(coaching=True, complete=True, title="Cuisines du monde")
    awa = member_of(coached.association, email="awa@exemple.test")
    deposited = ProjectFactory(deposited=True, complete=True)
    member_of(deposited.association, email="deja@exemple.test")
    draft = ProjectFactory(title="Brouillon")
    member_of(draft.association, email="brouillon@exemple.test")
    coordinator = UserFactory(coordinator=True)

    mailing = deposit_reminder_compose(actor=coordinator, submission_key=None)

    assert mailing.title == "Relance : dossiers pas encore déposés (édition 2026)"
    (message,) = mailing.messages.all()
    assert (message.user, message.link) == (awa, coached.get_absolute_url())
    assert "Le projet « Cuisines du monde »" in message.text
