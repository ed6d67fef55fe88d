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

    # A proxy keeps it five minutes; a browser asks again each time (a 304 while unchanged).
    assert directives(response) == {"public", "max-age=0", "s-maxage=300", "must-revalidate"}
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith(" GMT")
    # One copy for every visitor: no Vary on the cookies or the language (only on the
    # encoding: the page is compressed for a browser that asks).
    assert response.headers["Vary"] == "Accept-Encoding"


def test_a_page_that_answers_a_fragment_varies_on_htmx_only(client, db):
    response = client.get("/laureats/")

    assert response.headers["Vary"] == "HX-Request, Accept-Encoding"
    assert "public" in directives(response)


def test_a_visitor_s_first_and_later_answers_carry_the_same_headers(client, db):
    first = Client().get("/contrats-de-ville/")  # rendered
    later = client.get("/contrats-de-ville/")  # from the cache

    for response in (first, later):
        assert response.headers["Vary"] == "Accept-Encoding"
        assert directives(response) == {
            "public",
            "max-age=0",
            "s-maxage=300",
            "must-revalidate",
        }
    assert first.headers["ETag"] == later.headers["ETag"]


def test_a_person_who_signs_in_never_gets_the_visitor_s_copy_on_revalidation(client, db):
    etag = client.get("/contrats-de-ville/").headers["ETag"]
    client.force_login(UserFactory(first_name="Awa"))

    response = client.get("/contrats-de-ville/", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert directives(response) == {"private", "no-store"}
    assert "Se déconnecter" in response.content.decode()


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
    assert "Vary" not in response.headers
    assert "s-maxage=300" in directives(response)
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


def test_a_page_that_sets_a_cookie_after_all_is_private(client, db):
    client.get("/mentions-legales/")  # stored
    client.cookies["sessionid"] = "expiree"  # a session gone: the answer deletes the cookie

    response = client.get("/mentions-legales/")

    assert response.cookies["sessionid"].value == ""
    assert directives(response) == {"private", "no-store"}
    assert "ETag" not in response.headers


def test_the_proxy_example_bypasses_its_cache_for_the_session_cookie(settings):
    from pathlib import Path

    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    directives_ = [line.strip() for line in conf.splitlines() if not line.strip().startswith("#")]
    cookie = f"$cookie_{settings.SESSION_COOKIE_NAME}"

    assert any(d.startswith("proxy_cache_bypass") and cookie in d for d in directives_)
    assert any(d.startswith("proxy_no_cache") and cookie in d for d in directives_)
    # No HTML compression at the proxy (BREACH): the portal decides for its pages.
    gzip_types = next(d for d in directives_ if d.startswith("gzip_types"))
    assert "text/html" not in gzip_types


def test_with_the_database_cache_a_stored_page_costs_one_query(
    db, settings, django_assert_num_queries
):
    from core.apps import _create_cache_table

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache_one_read",
        }
    }
    _create_cache_table(using="default")
    first = Client().get("/contrats-de-ville/")

    # The version and the page in one read, as /healthz's one query.
    with django_assert_num_queries(1):
        again = Client().get("/contrats-de-ville/")

    assert again.content == first.content
    CityContract.objects.filter(slug="seine-amont").update(officer_name="Camille Nouvelle")
    public_cache.invalidate()
    assert "Camille Nouvelle" in Client().get("/contrats-de-ville/").content.decode()


def test_a_compression_middleware_inside_keeps_its_vary_on_the_encoding(client, db, settings):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("core.public_cache.PublicPagesMiddleware") + 1,
        "django.middleware.gzip.GZipMiddleware",
    )
    settings.MIDDLEWARE = middleware

    response = client.get("/laureats/", headers={"accept-encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "HX-Request, Accept-Encoding"
