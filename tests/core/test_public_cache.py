"""The public pages' cache: anonymous answers stored and shared, invalidated by one version bump."""

import pytest
from django.test import Client

from accounts.models import CityContract, Commune
from core import public_cache
from laureates.signals import public_content_changed
from tests.factories import UserFactory
from tests.laureates.factories import LaureateFactory, ShowcaseFactory


def directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part}


def test_a_second_anonymous_visit_is_served_from_the_cache(client, db, django_assert_num_queries):
    first = client.get("/contrats-de-ville/")

    with django_assert_num_queries(0):
        second = client.get("/contrats-de-ville/")

    assert second.status_code == 200
    assert second.content == first.content
    assert "Seine Amont" in second.content.decode()


def test_an_anonymous_page_is_public_with_etag_and_last_modified(client, db):
    response = client.get("/mentions-legales/")

    assert directives(response) == {"public", "max-age=300"}
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/", "/contrats-de-ville/", "/accessibilite/", "/plan-du-site/"])
def test_a_signed_in_person_gets_a_private_page_never_the_cached_one(client, db, path):
    Client().get(path)  # an anonymous visitor fills the cache
    client.force_login(UserFactory(first_name="Awa"))

    response = client.get(path)

    assert directives(response) == {"private", "no-store"}
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers
    assert "Se déconnecter" in response.content.decode()


def test_a_conditional_get_with_the_etag_answers_304(client, db):
    etag = client.get("/donnees-personnelles/").headers["ETag"]

    response = client.get("/donnees-personnelles/", headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert (
        client.get("/donnees-personnelles/", headers={"if-none-match": '"autre"'}).status_code
        == 200
    )


def test_a_conditional_get_with_the_date_answers_304(client, db):
    modified = client.get("/plan-du-site/").headers["Last-Modified"]

    response = client.get("/plan-du-site/", headers={"if-modified-since": modified})

    assert response.status_code == 304


def test_the_query_string_is_part_of_the_key(client, db):
    plain = client.get("/").content.decode()

    orly = client.get(f"/?commune={Commune.objects.get(name='Orly').pk}").content.decode()

    assert "Orly : contrat de ville" in orly
    assert "Orly : contrat de ville" not in plain


def test_saving_what_the_page_shows_invalidates_it(client, db):
    client.get("/contrats-de-ville/")
    contract = CityContract.objects.get(slug="seine-amont")
    contract.officer_name = "Camille Nouvelle-Cheffe"
    contract.save()

    response = client.get("/contrats-de-ville/")

    assert "Camille Nouvelle-Cheffe" in response.content.decode()


@pytest.mark.urls("tests.core.public_cache_urls")
def test_a_laureate_saved_or_deleted_invalidates(client, db):
    laureate = LaureateFactory(public=True, title="Jardin des Lozaits")
    assert client.get("/titres/").content == b"Jardin des Lozaits"

    laureate.title = "Jardin partagé des Lozaits"
    laureate.save()
    assert client.get("/titres/").content == b"Jardin partag\xc3\xa9 des Lozaits"

    laureate.delete()
    assert client.get("/titres/").content == b""


@pytest.mark.urls("tests.core.public_cache_urls")
def test_a_showcase_saved_invalidates(client, db, django_assert_num_queries):
    showcase = ShowcaseFactory(published=True)
    client.get("/titres/")

    showcase.intro = "Les projets primés."
    showcase.save()

    with django_assert_num_queries(1):  # rendered again: the laureates are read
        client.get("/titres/")


@pytest.mark.urls("tests.core.public_cache_urls")
def test_the_laureates_signal_invalidates(client, db, django_assert_num_queries):
    client.get("/titres/")

    public_content_changed.send(sender=None)

    with django_assert_num_queries(1):
        client.get("/titres/")


def test_the_version_is_bumped_again_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        LaureateFactory(public=True)
        during = public_cache.public_version()
    assert callbacks

    for callback in callbacks:
        callback()

    # A page rendered before the commit, from the data of before, is stale now.
    assert public_cache.public_version() != during


@pytest.mark.urls("tests.core.public_cache_urls")
def test_a_page_with_a_csrf_token_is_not_shared(db):
    first, second = Client(), Client()

    one = first.get("/formulaire/")
    two = second.get("/formulaire/")

    assert one.content != two.content
    assert "public" not in directives(one)
    assert "ETag" not in one.headers


@pytest.mark.urls("tests.core.public_cache_urls")
def test_a_page_with_a_message_is_neither_stored_nor_served_from_the_cache(db):
    visitor, other = Client(), Client()
    other.get("/titres-et-messages/")  # cached without message

    greeted = visitor.get("/accueil/", follow=True)

    assert greeted.content == b"Titres. Bienvenue, visiteur n\xc2\xb0 1"
    assert "public" not in directives(greeted)
    assert other.get("/titres-et-messages/").content == b"Titres. "
    assert visitor.get("/titres-et-messages/").content == b"Titres. "


def test_a_logout_message_on_the_home_page_stays_with_the_person(client, db):
    Client().get("/")
    client.force_login(UserFactory())

    response = client.post("/compte/deconnexion/", follow=True)

    assert "Vous êtes déconnecté." in response.content.decode()
    assert "public" not in directives(response)
    assert "Vous êtes déconnecté." not in Client().get("/").content.decode()


def test_migrate_creates_the_database_cache_table(db, settings):
    from django.db import connection

    from core.apps import _create_cache_table

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache_check",
        }
    }

    _create_cache_table(using="default")

    assert "portal_cache_check" in connection.introspection.table_names()
    public_cache.bump_version()  # the portal's cache works on it
    assert public_cache.public_version()
