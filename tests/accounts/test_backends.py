from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

FROM_NOTIFICATIONS = 'FROM "notifications_notification"'


def test_the_signed_in_person_is_read_in_one_query_with_their_unread_count(client, db):
    person = UserFactory()
    client.force_login(person)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("privacy:data"))

    assert response.wsgi_request.user.pk == person.pk
    assert response.wsgi_request.user.unread_notifications == 0
    people = [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_user"."id"')]
    counts = [q["sql"] for q in queries if FROM_NOTIFICATIONS in q["sql"]]
    assert counts == people[:1]


def test_a_deactivated_person_is_signed_out_on_the_next_request(client, db):
    person = UserFactory()
    client.force_login(person)
    person.is_active = False
    person.save(update_fields=["is_active"])

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_changed_password_signs_the_other_sessions_out(client, db):
    person = UserFactory()
    client.force_login(person)
    person.set_password("un autre mot de passe bien long")
    person.save(update_fields=["password"])

    assert client.get(reverse("dashboard")).status_code == 302


def test_a_deleted_person_is_signed_out(client, db):
    person = UserFactory()
    client.force_login(person)
    person.delete()

    assert client.get(reverse("dashboard")).status_code == 302
