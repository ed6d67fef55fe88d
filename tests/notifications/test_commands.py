from io import StringIO

from django.core.management import call_command

from notifications import services
from notifications.enums import Delivery
from notifications.models import DigestMail, NotificationPreference
from tests.factories import UserFactory
from tests.submissions.factories import ProjectFactory


def _waiting_for_the_digest(email):
    user = UserFactory(email=email)
    NotificationPreference.objects.create(user=user, kind="message", delivery=Delivery.DIGEST)
    project = ProjectFactory()
    services.notify(
        kind="message",
        users=[user],
        title="Nouveau message",
        link=project.get_absolute_url(),
        mail_template="submissions/email/assigned",
        context={"project": project, "project_url": "http://testserver/"},
    )


def test_send_digests_dry_run_says_who_and_sends_nothing(db, mailoutbox):
    _waiting_for_the_digest("resume@exemple.test")
    out = StringIO()

    call_command("send_digests", "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == [
        "Simulation : 1 résumé envoyé, 1 notification regroupée.",
        "  resume@exemple.test",
    ]
    assert DigestMail.objects.count() == 0


def test_send_digests_sends_each_digest_once(db, mailoutbox, django_capture_on_commit_callbacks):
    _waiting_for_the_digest("resume@exemple.test")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=StringIO())
        call_command("send_digests", stdout=StringIO())

    assert [mail.to for mail in mailoutbox] == [["resume@exemple.test"]]


def test_muted_notifications_are_kept_in_the_portal_without_a_mail(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    from core.mail import muted

    user = UserFactory()
    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True), muted():
        rows = services.notify(
            kind="message",
            users=[user],
            title="Nouveau message",
            link=project.get_absolute_url(),
            mail_template="submissions/email/assigned",
            context={"project": project, "project_url": "http://testserver/"},
        )

    assert len(rows) == 1
    assert mailoutbox == []
