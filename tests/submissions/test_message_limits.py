"""Project messages are mails to the coaches: a person sends a limited number per hour."""

from datetime import timedelta

from django.urls import reverse

from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import ProjectFactory
from tests.utils import page


def test_messages_past_the_hourly_limit_are_refused_with_their_text_kept(
    client, db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "message_author": (3, timedelta(hours=1))}
    association = AssociationFactory()
    member = member_of(association)
    project = ProjectFactory(association=association, coaching=True)
    UserFactory(email="chef@seine-amont.test", officer=True)
    client.force_login(member)
    url = reverse("submissions:message_create", args=[project.pk])

    with django_capture_on_commit_callbacks(execute=True):
        sent = [client.post(url, {"body": f"Message n° {n}"}) for n in range(3)]
        refused = client.post(url, {"body": "Un message de trop, gardé tel quel."})

    assert {answer.status_code for answer in sent} == {302}
    text = page(refused)
    assert refused.status_code == 400
    assert "Vous avez envoyé beaucoup de messages en peu de temps" in text
    assert "Un message de trop, gardé tel quel." in text
    assert project.messages.count() == 3
    assert len(mailoutbox) == 3
