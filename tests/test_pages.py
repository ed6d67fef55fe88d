import pytest
from django.urls import reverse

from accounts.models import CityContract
from tests.utils import page

PUBLIC_PAGES = [
    "/",
    "/contrats-de-ville/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/compte/connexion/",
    "/compte/inscription/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_answers_with_one_h1_and_the_accessibility_status(client, db, path):
    text = page(client.get(path))

    assert text.count("<h1") == 1
    assert "Accessibilité : partiellement conforme" in text


def test_city_contracts_page_lists_the_eight_contracts_and_their_qpvs(client, db):
    text = page(client.get("/contrats-de-ville/"))

    for contract in CityContract.objects.all():
        assert contract.short_name in text
    assert "Gagarine" in text
    assert "Haut-Pays - La Grusie" in text  # Villeneuve-le-Roi: no contract


def test_home_finds_the_chef_de_projet_of_a_commune(client, db):
    contract = CityContract.objects.get(slug="seine-amont")
    contract.officer_name = "Inès Chef"
    contract.officer_email = "ines@seine-amont.example"
    contract.save()
    ivry = contract.communes.get(name="Ivry-sur-Seine")

    text = page(client.get("/", {"commune": ivry.pk}))

    assert "Inès Chef" in text
    assert "mailto:ines@seine-amont.example" in text


def test_home_sends_a_commune_without_contract_to_the_coordination(client, db):
    from accounts.models import Commune

    commune = Commune.objects.get(name="Chevilly-Larue")

    text = page(client.get("/", {"commune": commune.pk}))

    assert "coordination" in text


def test_healthz_says_ok_after_a_database_round_trip(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_robots_txt_keeps_crawlers_out_of_private_spaces(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert "Disallow: /espace/" in response.content.decode()


def test_unknown_page_gets_the_french_404(client, db):
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    assert "Page introuvable" in page(response)


def test_signed_in_space_requires_login(client, db):
    response = client.get("/espace/")

    assert response.status_code == 302
    assert response.url == "/compte/connexion/?next=/espace/"


def test_server_error_page_renders_without_request_or_database():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "<h1" in html
    assert 'href="/"' in html


def test_healthz_answers_the_load_balancer_over_plain_http(client, db, settings):
    # Production redirects every page to HTTPS; the load balancer asks /healthz from
    # inside, over HTTP, and must get its answer, not a redirect.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("home"))["Location"] == "https://testserver/"
