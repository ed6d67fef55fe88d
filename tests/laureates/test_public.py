"""The public laureate pages: /laureats/, /laureats/<year>/, /laureats/<year>/<slug>/, home."""

import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Commune, Qpv
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from submissions.enums import EditionState, Theme
from tests.laureates.factories import LaureateFactory, ShowcaseFactory
from tests.submissions.factories import EditionFactory, ProjectFactory
from tests.utils import page

LIST = "/laureats/"


def _build_world():
    ivry = Commune.objects.get(insee="94041")
    vitry = Commune.objects.get(insee="94081")
    gagarine = Qpv.objects.get(code="QN09407I")
    ed2024 = EditionFactory(year=2024, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=ed2024, published=True, intro="Une belle édition, riche en projets.")
    ed2023 = EditionFactory(year=2023, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=ed2023, published=True, show_amounts=False, projects_received=42)
    ed2025 = EditionFactory(year=2025, state=EditionState.ARCHIVED)
    ShowcaseFactory(edition=ed2025)  # in preparation
    homework = LaureateFactory(
        public=True,
        edition=ed2024,
        title="Des devoirs faits ensemble",
        pitch="Aide aux devoirs pour les jeunes du quartier, le soir.",
        description="Des bénévoles accompagnent les collégiens.",
        partners="Le collège Georges Politzer.",
        website="https://devoirs.exemple.test/",
        association_name="Les Amis de Gagarine",
        commune=ivry,
        themes=[Theme.EDUCATION],
        amount_granted=Decimal("5000"),
    )
    homework.qpvs.set([gagarine])
    theatre = LaureateFactory(
        public=True,
        edition=ed2024,
        title="Théâtre de rue",
        pitch="Des spectacles sur les places, joués par les habitants.",
        association_name="Compagnie du Fabien",
        commune=vitry,
        themes=[Theme.CULTURE],
        amount_granted=Decimal("8000"),
    )
    sport = LaureateFactory(
        public=True,
        edition=ed2023,
        title="Éducation par le sport",
        pitch="Le football pour apprendre à vivre ensemble.",
        association_name="Ivry Foot Quartiers",
        commune=ivry,
        themes=[Theme.SPORT, Theme.CULTURE],
        amount_granted=Decimal("3000"),
    )
    # Not public: a card still being read in a published showcase, and a card of a
    # showcase in preparation.
    draft = LaureateFactory(
        edition=ed2024, state=CardState.DRAFT, title="Projet en relecture", commune=ivry
    )
    unpublished = LaureateFactory(edition=ed2025, title="Projet de 2025", commune=ivry)
    # Projects deposited in 2024 on the portal (the figure « projets reçus »).
    for _ in range(2):
        ProjectFactory(deposited=True, edition=ed2024)
    return {
        "ivry": ivry,
        "vitry": vitry,
        "gagarine": gagarine,
        "homework": homework,
        "theatre": theatre,
        "sport": sport,
        "draft": draft,
        "unpublished": unpublished,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


def titles(response) -> list[str]:
    """The card titles of a page, in order."""
    return re.findall(r'<h3 class="h5 card-title"><a href="[^"]+">([^<]+)</a>', page(response))


def status(response) -> str:
    match = re.search(r'<p id="nombre-resultats" role="status"[^>]*>([^<]+)</p>', page(response))
    assert match
    return match.group(1)


# The list


def test_list_shows_public_cards_newest_edition_first(client, w):
    response = client.get(LIST)

    assert response.status_code == 200
    assert titles(response) == [
        "Des devoirs faits ensemble",
        "Théâtre de rue",
        "Éducation par le sport",
    ]
    assert status(response) == "3 lauréats."


def test_list_card_shows_association_commune_year_themes_and_amount(client, w):
    text = page(client.get(LIST))

    assert "Les Amis de Gagarine" in text
    assert "<dt>Commune</dt><dd>Ivry-sur-Seine</dd>" in text
    assert "<dt>Thème</dt><dd>Éducation et jeunesse</dd>" in text
    assert "<dt>Thèmes</dt><dd>Sport, Culture</dd>" in text
    assert "<dt>Montant accordé</dt><dd>5\u00a0000 €</dd>" in text
    # The 2023 showcase hides its amounts.
    assert "3\u00a0000 €" not in text


@pytest.mark.parametrize("title", ["Projet en relecture", "Projet de 2025"])
def test_list_leaves_out_cards_not_public(client, w, title):
    assert title not in page(client.get(LIST))


def test_card_appears_once_card_and_showcase_are_published(client, w):
    unpublished = w["unpublished"]
    Showcase.objects.filter(edition=unpublished.edition).update(state=ShowcaseState.PUBLISHED)
    Laureate.objects.filter(pk=unpublished.pk).update(state=CardState.PUBLISHED, is_public=True)

    assert "Projet de 2025" in titles(client.get(LIST))
    assert client.get("/laureats/2025/").status_code == 200
    assert client.get(unpublished.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("annee=2023", ["Éducation par le sport"]),
        ("commune=94081", ["Théâtre de rue"]),
        ("quartier=QN09407I", ["Des devoirs faits ensemble"]),
        ("theme=culture", ["Théâtre de rue", "Éducation par le sport"]),
        ("theme=culture&commune=94041", ["Éducation par le sport"]),
        ("annee=2024&theme=culture&commune=94081", ["Théâtre de rue"]),
        ("annee=2024&commune=94041&theme=culture", []),
    ],
)
def test_filters_alone_and_combined(client, w, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_choices_offer_only_what_has_public_laureates(client, w):
    text = page(client.get(LIST))

    assert '<option value="2024">2024</option>' in text
    assert '<option value="2025">' not in text
    assert '<option value="94081">Vitry-sur-Seine</option>' in text
    assert '<option value="QN09407I">Gagarine</option>' in text
    assert '<option value="QN09408M">' not in text


def test_unknown_filter_value_is_explained_and_lists_nothing(client, w):
    response = client.get(f"{LIST}?commune=99999&theme=culture")

    text = page(response)
    assert response.status_code == 200
    assert titles(response) == []
    assert "Sélectionnez un choix valide" in text
    # The other choice is kept in the form.
    assert '<option value="culture" selected>' in text


def test_no_result_says_so_with_a_link_to_reset(client, w):
    response = client.get(f"{LIST}?q=astronomie")

    text = page(response)
    assert status(response) == "Aucun lauréat pour votre recherche."
    assert "Aucun lauréat ne correspond à votre recherche." in text
    assert f'<a href="{LIST}">Effacer les filtres et voir tous les lauréats</a>' in text


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # Accents: typed without, found with; and the other way round.
        ("education", ["Éducation par le sport"]),
        ("theatre", ["Théâtre de rue"]),
        ("EDUCATION", ["Éducation par le sport"]),
        ("spéctacle", ["Théâtre de rue"]),
        # Stemming: « jeunesse » finds « jeunes », « spectacle » « spectacles ».
        ("jeunesse", ["Des devoirs faits ensemble"]),
        ("spectacle", ["Théâtre de rue"]),
        # The association's name and the partners are searched too.
        ("Compagnie du Fabien", ["Théâtre de rue"]),
        ("Politzer", ["Des devoirs faits ensemble"]),
        # Web-search syntax: an alternative.
        ("football or théâtre", ["Théâtre de rue", "Éducation par le sport"]),
    ],
)
def test_search_in_french(client, w, words, expected):
    response = client.get(LIST, {"q": words})

    assert response.status_code == 200
    assert titles(response) == expected


def test_search_follows_a_card_edited_later(client, w):
    # The search vector is computed by PostgreSQL (a generated column): no code keeps it.
    theatre = Laureate.objects.get(pk=w["theatre"].pk)
    theatre.description = "Avec la fanfare du quartier."
    theatre.save()

    assert titles(client.get(LIST, {"q": "fanfares"})) == ["Théâtre de rue"]


def test_search_combines_with_filters(client, w):
    response = client.get(LIST, {"q": "éducation", "annee": "2024"})

    assert titles(response) == []


def test_search_does_not_find_cards_not_public(client, w):
    assert titles(client.get(LIST, {"q": "relecture"})) == []


@pytest.mark.parametrize(
    "words",
    [
        "'; DROP TABLE laureates_laureate; --",
        '" OR 1=1 --',
        "é' UNION SELECT certificate_code FROM laureates_laureate --",
        "!(&|:*<->)",
        "a" * 2000,
    ],
    ids=["drop", "or", "union", "tsquery-operators", "2000-chars"],
)
def test_bad_search_input_gives_a_normal_empty_page(client, w, words):
    response = client.get(LIST, {"q": words})

    assert response.status_code == 200
    assert titles(response) == []
    assert "Aucun lauréat ne correspond à votre recherche." in page(response)
    assert Laureate.objects.count() == 5


def test_search_of_a_nul_byte_alone_is_no_search(client, w):
    response = client.get(LIST, {"q": "\x00"})

    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_nul_byte_in_a_word_is_ignored_and_the_word_searched(client, w):
    assert titles(client.get(LIST, {"q": "théâtre\x00"})) == ["Théâtre de rue"]


@pytest.mark.parametrize("name", ["annee", "commune", "quartier", "theme", "page"])
def test_bad_filter_input_never_fails(client, w, name):
    response = client.get(LIST, {name: "x\x00'; --" * 300})

    assert response.status_code == 200


def test_htmx_request_gets_the_results_region_and_the_count(client, w):
    response = client.get(f"{LIST}?theme=culture", headers={"HX-Request": "true"})

    text = page(response)
    assert response.status_code == 200
    assert "<html" not in text
    assert text.lstrip().startswith('<section id="resultats"')
    assert (
        '<p id="nombre-resultats" data-hx-swap-oob="innerHTML">2 lauréats pour votre recherche.</p>'
        in text
    )
    assert titles(response) == ["Théâtre de rue", "Éducation par le sport"]
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, w):
    response = client.get(
        LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in page(response)


def test_form_is_a_plain_get_form_enhanced_by_htmx(client, w):
    text = page(client.get(LIST))

    assert f'<form method="get" action="{LIST}" role="search"' in text
    assert 'data-hx-push-url="true"' in text
    assert "/static/vendor/htmx/htmx.min.js" in text
    assert '<button type="submit" class="btn btn-primary">Afficher les projets</button>' in text


# An edition


def test_year_page_shows_intro_figures_and_laureates(client, w):
    response = client.get("/laureats/2024/")

    text = page(response)
    assert response.status_code == 200
    assert "<h1>Projets primés en 2024</h1>" in text
    assert "Une belle édition, riche en projets." in text
    assert "<dt>Projets reçus</dt><dd>2</dd>" in text
    assert "<dt>Lauréats</dt><dd>2</dd>" in text
    assert "<dt>Montant total accordé</dt><dd>13\u00a0000 €</dd>" in text
    assert titles(response) == ["Des devoirs faits ensemble", "Théâtre de rue"]


def test_year_page_of_an_archive_edition_without_amounts(client, w):
    text = page(client.get("/laureats/2023/"))

    assert "<dt>Projets reçus</dt><dd>42</dd>" in text
    assert "<dt>Lauréat</dt><dd>1</dd>" in text
    assert "Montant" not in text


@pytest.mark.parametrize("year", [2025, 2022])
def test_year_page_of_a_showcase_not_published_is_not_found(client, w, year):
    assert client.get(f"/laureats/{year}/").status_code == 404


def test_year_page_of_a_withdrawn_showcase_is_not_found(client, w):
    Showcase.objects.filter(edition__year=2024).update(state=ShowcaseState.UNPUBLISHED)

    assert client.get("/laureats/2024/").status_code == 404


# One project


def test_detail_shows_the_project(client, w):
    response = client.get("/laureats/2024/des-devoirs-faits-ensemble/")

    text = page(response)
    assert response.status_code == 200
    assert "<h1>Des devoirs faits ensemble</h1>" in text
    assert "Des bénévoles accompagnent les collégiens." in text
    assert "Le collège Georges Politzer." in text
    assert "<li>Gagarine</li>" in text
    assert "<dt>Montant accordé</dt><dd>5\u00a0000 €</dd>" in text
    assert (
        '<a href="https://devoirs.exemple.test/" rel="external noopener">'
        "https://devoirs.exemple.test/</a>" in text
    )
    assert '<li class="breadcrumb-item"><a href="/laureats/2024/">2024</a></li>' in text


def test_detail_links_to_the_same_commune_and_theme(client, w):
    text = page(client.get("/laureats/2024/des-devoirs-faits-ensemble/"))

    assert (
        '<a href="/laureats/?commune=94041">Les lauréats de la commune : Ivry-sur-Seine</a>' in text
    )
    assert (
        '<a href="/laureats/?theme=education">Les lauréats du thème « Éducation et jeunesse »</a>'
        in text
    )


def test_detail_share_tags_use_the_site_address(client, w, settings):
    settings.SITE_URL = "https://label.exemple.test"

    text = page(client.get("/laureats/2024/des-devoirs-faits-ensemble/"))

    url = "https://label.exemple.test/laureats/2024/des-devoirs-faits-ensemble/"
    assert f'<link rel="canonical" href="{url}">' in text
    assert f'<meta property="og:url" content="{url}">' in text
    assert '<meta property="og:title" content="Des devoirs faits ensemble">' in text
    assert (
        '<meta property="og:description" content="Aide aux devoirs pour les jeunes du quartier,'
        ' le soir.">' in text
    )
    assert '<meta name="twitter:card" content="summary">' in text
    # No photo: no image announced.
    assert "og:image" not in text


def test_detail_hides_the_amount_when_the_edition_does(client, w):
    text = page(client.get("/laureats/2023/education-par-le-sport/"))

    assert "Montant" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/laureats/2024/projet-en-relecture/",
        "/laureats/2025/projet-de-2025/",
        "/laureats/2023/des-devoirs-faits-ensemble/",
        "/laureats/2024/nulle-part/",
    ],
)
def test_detail_not_public_is_not_found(client, w, url):
    assert client.get(url).status_code == 404


# Home page and menu


def test_home_shows_the_latest_published_laureates(client, w):
    response = client.get("/")

    text = page(response)
    assert '<h2 id="derniers-laureats">Derniers lauréats</h2>' in text
    assert "Les projets primés en 2024." in text
    assert titles(response) == ["Des devoirs faits ensemble", "Théâtre de rue"]
    assert f'<a href="{LIST}">Voir tous les lauréats depuis 2018</a>' in text


def test_main_menu_leads_to_the_laureates(client, w):
    text = page(client.get(LIST))

    assert f'<a href="{LIST}" aria-current="page">Lauréats</a>' in text
    assert f'<a href="{LIST}">Lauréats</a>' in page(client.get("/"))


# Links to what the other parts of the laureates stage serve (photo, open data)


@pytest.fixture
def with_photo(w):
    Laureate.objects.filter(pk=w["theatre"].pk).update(
        photo="laureats/theatre.jpg", photo_alt="Trois comédiens sur une place, le soir."
    )
    w["theatre"].refresh_from_db()
    return w["theatre"]


def test_card_shows_its_photo_with_its_description(client, with_photo):
    photo_url = with_photo.photo_url
    assert photo_url.startswith(reverse("laureates:photo", args=[with_photo.pk]) + "?v=")

    text = page(client.get(LIST))

    assert (
        f'<img class="card-img-top laureate-card-photo" src="{photo_url}"'
        ' alt="Trois comédiens sur une place, le soir." loading="lazy">' in text
    )
    # Only the card with a photo has an image.
    assert text.count('<img class="card-img-top') == 1


def test_detail_announces_its_photo_to_sharing_sites(client, with_photo, settings):
    settings.SITE_URL = "https://label.exemple.test"
    photo_url = with_photo.photo_url

    text = page(client.get(with_photo.get_absolute_url()))

    assert f'<meta property="og:image" content="https://label.exemple.test{photo_url}">' in text
    assert '<meta name="twitter:card" content="summary_large_image">' in text
    assert f'src="{photo_url}" alt="Trois comédiens sur une place, le soir."' in text


def test_open_data_links_keep_the_chosen_filters(client, w):
    text = page(client.get(LIST, {"commune": "94041", "q": "", "theme": "culture"}))

    csv = reverse("laureates:export_csv")
    json = reverse("laureates:export_json")
    assert f'<a href="{csv}?commune=94041&theme=culture">télécharger au format CSV</a>' in text
    assert f'<a href="{json}?commune=94041&theme=culture">au format JSON</a>' in text


def test_an_archive_laureate_says_its_edition_is_uncertain(client, w):
    Laureate.objects.filter(pk=w["theatre"].pk).update(
        year_note="édition non précisée : 2018 ou 2019"
    )
    w["theatre"].refresh_from_db()

    for url in [LIST, w["theatre"].get_absolute_url()]:
        assert "(édition non précisée : 2018 ou 2019)" in page(client.get(url))


def test_public_pages_are_cached_for_visitors_and_renewed_on_change(
    client, w, django_assert_num_queries
):
    """One mechanism (core.public_cache): a second visit reads no row; a change shows at once."""
    theatre = w["theatre"]
    for url in [LIST, theatre.get_absolute_url(), reverse("laureates:export_csv")]:
        first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=0, s-maxage=300, must-revalidate"
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content

    # The htmx fragment of the list is stored apart from the whole page.
    fragment = client.get(LIST, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "<html" in client.get(LIST).content.decode()

    theatre.title = "Théâtre de rue, saison 2"
    theatre.save()
    assert "Théâtre de rue, saison 2" in page(client.get(LIST))


def test_signed_in_people_never_get_a_cached_public_page(client, w):
    from tests.factories import UserFactory

    client.get(LIST)
    client.force_login(UserFactory())

    response = client.get(LIST)
    assert "public" not in response.get("Cache-Control", "")
    assert "no-store" in response["Cache-Control"]


def test_the_project_page_shows_its_progress_when_the_association_agrees(client, w):
    from laureates.enums import MilestoneStatus
    from laureates.models import Milestone

    theatre = w["theatre"]
    Milestone.objects.create(
        laureate=theatre,
        title="Première représentation",
        planned_on="2026-06-01",
        status=MilestoneStatus.DONE,
    )
    assert "Avancement du projet" not in page(client.get(theatre.get_absolute_url()))

    theatre.show_progress = True
    theatre.save()  # a saved card renews the public pages

    text = page(client.get(theatre.get_absolute_url()))
    assert "Avancement du projet" in text
    assert "Première représentation" in text
