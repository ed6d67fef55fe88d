"""Links that leave the page are built on the configured site address, never the Host header."""

from django.urls import reverse

from core.links import absolute_url
from tests.factories import AssociationFactory, member_of


def test_absolute_url_of_a_path_and_of_an_object(settings):
    class Page:
        def get_absolute_url(self):
            return "/espace/associations/7/"

    settings.SITE_URL = "https://label.exemple.fr/"

    assert absolute_url("/laureats/") == "https://label.exemple.fr/laureats/"
    assert absolute_url(Page()) == "https://label.exemple.fr/espace/associations/7/"


def test_a_mail_sent_during_a_request_links_to_the_site_address_not_the_host_asked(
    client, db, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8001"
    association = AssociationFactory()
    client.force_login(member_of(association))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:association_invite", args=[association.pk]),
            {"email": "nouveau@exemple.test"},
            headers={"host": "testserver"},
        )

    assert len(mailoutbox) == 1
    assert "http://127.0.0.1:8001/compte/invitation/" in mailoutbox[0].body
    assert "testserver" not in mailoutbox[0].body
