import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laureates.opendata import COLUMNS
from tests.laureates.factories import LaureateFactory
from tests.laureates.open_world import (  # noqa: F401  (the fixtures)
    HIDDEN_TITLES,
    world_fixture,
)

HEADER = [
    "Année",
    "Projet",
    "Association",
    "Accroche",
    "Présentation",
    "Commune",
    "Code INSEE",
    "Contrat de ville",
    "Quartiers",
    "Codes des quartiers",
    "Thèmes",
    "Codes des thèmes",
    "Montant accordé (€)",
    "Partenaires",
    "Site web",
    "Page du projet",
    "Publié le",
]


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]), delimiter=";")
    header, *rows = list(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_lists_every_public_laureate_with_its_columns(client, world):
    response = client.get(reverse("laureates:export_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="laureats-label-actions-innovantes-{today}.csv"'
    )
    rows = read_csv(response)
    assert [row["Projet"] for row in rows] == [
        '\'=HYPERLINK("http://x") atelier vélo',  # a spreadsheet shows it, never runs it
        "Café des parents",
        "Jardin partagé des Ardoines",
    ]
    cafe = rows[1]
    assert cafe["Année"] == "2024"
    assert cafe["Association"] == "Association Les Voisins d'Ivry"
    assert cafe["Commune"] == "Ivry-sur-Seine"
    assert cafe["Code INSEE"] == "94041"
    assert cafe["Contrat de ville"] == "Seine Amont"
    assert cafe["Quartiers"] == "Pierre Et Marie Curie"
    assert cafe["Codes des quartiers"] == "QN09401M"
    assert cafe["Thèmes"] == "Éducation et jeunesse | Lien social et citoyenneté"
    assert cafe["Codes des thèmes"] == "education | lien_social"
    assert cafe["Montant accordé (€)"] == "5000,50"
    assert cafe["Site web"] == "https://voisins-ivry.example.org/"
    assert cafe["Page du projet"] == "http://testserver/laureats/2024/cafe-des-parents/"
    published = timezone.localtime(world["ivry"].published_at)
    assert cafe["Publié le"] == f"{published:%d/%m/%Y %H:%M}"


def test_amounts_are_left_out_where_the_edition_hides_them(client, world):
    rows = read_csv(client.get(reverse("laureates:export_csv")))
    amounts = {row["Projet"]: row["Montant accordé (€)"] for row in rows}

    assert amounts["Jardin partagé des Ardoines"] == ""
    assert amounts["Café des parents"] == "5000,50"

    document = client.get(reverse("laureates:export_json")).json()
    amounts = {item["title"]: item["amount_granted"] for item in document["laureates"]}
    assert amounts == {
        '=HYPERLINK("http://x") atelier vélo': 3000.0,
        "Café des parents": 5000.5,
        "Jardin partagé des Ardoines": None,
    }


def test_json_is_a_documented_object(client, world, settings):
    settings.SITE_URL = "https://label.exemple.fr"

    response = client.get(reverse("laureates:export_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'inline; filename="laureats-label-actions-innovantes-{today}.json"'
    )
    document = json.loads(response.content)
    assert list(document) == [
        "licence",
        "licence_url",
        "source",
        "documentation",
        "generated_at",
        "filters",
        "count",
        "laureates",
    ]
    assert document["licence"] == "Licence Ouverte / Open Licence version 2.0 (Etalab)"
    assert document["documentation"] == "https://label.exemple.fr/laureats/donnees/"
    assert document["count"] == 3
    assert document["filters"] == {}
    cafe = next(item for item in document["laureates"] if item["title"] == "Café des parents")
    assert list(cafe) == [column.key for column in COLUMNS]
    assert cafe["qpv_codes"] == ["QN09401M"]
    assert cafe["qpv_names"] == ["Pierre Et Marie Curie"]
    assert cafe["themes"] == ["Éducation et jeunesse", "Lien social et citoyenneté"]
    assert cafe["theme_codes"] == ["education", "lien_social"]
    assert cafe["url"] == "https://label.exemple.fr/laureats/2024/cafe-des-parents/"
    assert cafe["published_at"] == world["ivry"].published_at.isoformat()
    assert cafe["year"] == 2024


def test_the_public_never_reads_a_card_that_is_not_public(client, world):
    csv_titles = {row["Projet"] for row in read_csv(client.get(reverse("laureates:export_csv")))}
    document = client.get(reverse("laureates:export_json")).json()
    json_titles = {item["title"] for item in document["laureates"]}

    assert csv_titles & HIDDEN_TITLES == set()
    assert json_titles & HIDDEN_TITLES == set()
    assert len(csv_titles) == len(json_titles) == 3


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"annee": "2023"}, ["Jardin partagé des Ardoines"]),
        ({"commune": "94041"}, ["Café des parents"]),
        ({"quartier": "QN09401M"}, ["Café des parents"]),
        ({"theme": "sport"}, ['=HYPERLINK("http://x") atelier vélo']),
        ({"annee": "2024", "theme": "education"}, ["Café des parents"]),
        ({"annee": "2023", "commune": "94041"}, []),
        ({"annee": "", "commune": "", "theme": ""}, None),  # an empty form filters nothing
    ],
)
def test_exports_follow_the_list_filters(client, world, params, titles):
    document = client.get(reverse("laureates:export_json"), params).json()
    rows = read_csv(client.get(reverse("laureates:export_csv"), params))

    json_titles = [item["title"] for item in document["laureates"]]
    if titles is None:
        assert document["count"] == len(rows) == 3
        assert document["filters"] == {}
        return
    assert json_titles == titles
    assert len(rows) == len(titles) == document["count"]
    assert document["filters"] == {key: value for key, value in params.items() if value}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"annee": "deux-mille"}, "Paramètre « annee » : Sélectionnez un choix valide."),
        # A name instead of the INSEE code: not among the list's choices.
        ({"commune": "Ivry"}, "Paramètre « commune » : Sélectionnez un choix valide."),
        ({"theme": "cuisine"}, "Paramètre « theme » : Sélectionnez un choix valide."),
    ],
)
def test_a_bad_filter_is_explained_in_french(client, world, params, message):
    for name in ["laureates:export_csv", "laureates:export_json"]:
        response = client.get(reverse(name), params)

        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith(message)


def test_exports_answer_only_get(client, world):
    assert client.post(reverse("laureates:export_csv")).status_code == 405


def _queries(client, url) -> int:
    """The queries of building the file (not of serving the public cache's copy)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["laureates:export_csv", "laureates:export_json"])
def test_exports_cost_the_same_with_ten_or_many_laureates(client, db, name):
    LaureateFactory.create_batch(10, public=True)
    with_ten = _queries(client, reverse(name))

    LaureateFactory.create_batch(20, public=True)
    with_thirty = _queries(client, reverse(name))

    # The cards with edition, showcase, commune and contract; then their quartiers.
    assert with_ten == with_thirty == 2


def test_the_open_data_page_documents_every_column(client, world):
    response = client.get(reverse("laureates:open_data"))

    assert response.status_code == 200
    content = response.content.decode()
    for column in COLUMNS:
        assert f"<code>{column.key}</code>" in content
        assert column.header.replace("'", "&#x27;") in content
    assert "Licence Ouverte / Open Licence version 2.0 (Etalab)" in content
    assert reverse("laureates:export_csv") in content
    assert reverse("laureates:export_json") in content
    assert reverse("laureates:feed") in content
