"""The dashboard pages: who sees which territory, and what the page shows."""

import re

import pytest
from django.urls import reverse

from submissions.services import project_transition
from tests.coordination.dashboard_world import DASHBOARD_WORLD
from tests.coordination.svg import drawn_values, parse, table_values
from tests.factories import AssociationFactory, member_of

world = DASHBOARD_WORLD.fixture()

NBSP = "\u00a0"
CHARTS = [
    "entonnoir",
    "montants",
    "etats",
    "themes",
    "quartiers",
    "historique-projets",
    "historique-montants",
]


def _contract_url(contract, **query):
    url = reverse("coordination:dashboard_contract", args=[contract.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _text(response) -> str:
    """The page's text as read, its blanks (not its non-breaking spaces) made single."""
    return re.sub(r"[ \t\r\n]+", " ", "".join(parse(response.content).find("body").itertext()))


def test_the_coordination_sees_the_open_edition_of_the_whole_territory(client, world):
    client.force_login(world["coordinator"])

    response = client.get(reverse("coordination:dashboard"))

    assert response.status_code == 200
    assert "Pilotage — tout le territoire, édition 2031" in _text(response)
    document = parse(response.content)
    assert [row[0][1] for row in table_values(document, "entonnoir")] == [
        "10",
        "7",
        "5",
        "3",
        "2",
        "1",
    ]
    assert f"Reste sur l'enveloppe : 7{NBSP}500{NBSP}€." in _text(response)


@pytest.mark.parametrize("slug", CHARTS)
def test_each_chart_of_the_page_and_its_table_carry_the_same_figures(client, world, slug):
    client.force_login(world["coordinator"])
    document = parse(client.get(reverse("coordination:dashboard")).content)

    drawn = drawn_values(document, slug)
    rows = table_values(document, slug)

    if slug == "entonnoir":
        assert [value for value, _ in drawn] == [row[0][0] for row in rows]
        assert all(
            cell in text for (_, text), row in zip(drawn, rows, strict=True) for _, cell in row
        )
    else:
        assert drawn == [cell for row in rows for cell in row]
    assert drawn, "un graphique sans chiffre"


def test_the_history_shows_the_previous_editions(client, world):
    client.force_login(world["coordinator"])
    document = parse(client.get(reverse("coordination:dashboard")).content)

    rows = table_values(document, "historique-projets")

    assert [[text for _, text in row] for row in rows] == [
        ["0", "12", "0", "2"],
        ["2", "2", "2", "1"],
        ["10", "5", "2", "1"],
    ]


def test_an_envelope_exceeded_says_so(client, world):
    world["current"].__class__.objects.filter(pk=world["current"].pk).update(budget_envelope=2000)
    client.force_login(world["coordinator"])

    response = client.get(reverse("coordination:dashboard"))

    assert (
        f"Dépassement de l'enveloppe : les montants accordés dépassent l'enveloppe de 500{NBSP}€."
        in _text(response)
    )


def test_an_earlier_edition_is_chosen(client, world):
    client.force_login(world["coordinator"])

    response = client.get(reverse("coordination:dashboard"), {"edition": "2030"})

    document = parse(response.content)
    assert [row[0][1] for row in table_values(document, "entonnoir")] == [
        "2",
        "2",
        "2",
        "2",
        "2",
        "1",
    ]
    years = [row for row in table_values(document, "historique-montants")]
    assert len(years) == 2


def test_an_unknown_edition_is_explained(client, world):
    client.force_login(world["coordinator"])

    response = client.get(reverse("coordination:dashboard"), {"edition": "1990"})

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in _text(response)
    # The page still shows the open edition's figures.
    assert "édition 2031" in _text(response)


def test_the_coordination_picks_a_contract_and_keeps_the_edition(client, world):
    client.force_login(world["coordinator"])

    response = client.get(
        reverse("coordination:dashboard"), {"edition": "2030", "contrat": world["orly"].pk}
    )

    assert response.status_code == 302
    assert response.url == _contract_url(world["orly"], edition=2030)


def test_a_contract_page_shows_its_contract_and_edition_in_the_form(client, world):
    client.force_login(world["coordinator"])

    response = client.get(_contract_url(world["orly"], edition=2030))

    html = response.content.decode()
    assert f'<option value="{world["orly"].pk}" selected>' in html
    assert '<option value="2030" selected>' in html


def test_the_territory_page_links_each_contract(client, world):
    client.force_login(world["coordinator"])

    response = client.get(reverse("coordination:dashboard"))

    assert f'href="{_contract_url(world["orly"], edition=2031)}"' in response.content.decode()


def test_a_chef_de_projet_is_sent_to_his_territory(client, world):
    client.force_login(world["officer_t1"])

    response = client.get(reverse("coordination:dashboard"), {"edition": "2030"})

    assert response.status_code == 302
    assert response.url == _contract_url(world["seine_amont"], edition=2030)


def test_a_chef_de_projet_sees_his_territory_only(client, world):
    client.force_login(world["officer_t1"])

    response = client.get(_contract_url(world["seine_amont"]))

    assert response.status_code == 200
    text = _text(response)
    assert "Pilotage — contrat de ville Seine Amont, édition 2031" in text
    document = parse(response.content)
    assert [row[0][1] for row in table_values(document, "entonnoir")] == [
        "6",
        "4",
        "3",
        "1",
        "1",
        "1",
    ]
    # No other contrat de ville to pick, no territory-wide remainder.
    assert 'name="contrat"' not in response.content.decode()
    assert "Reste sur l'enveloppe" not in text
    assert "Léo Roux" not in text
    assert _contract_url(world["orly"]) not in response.content.decode()


def test_a_chef_de_projet_gets_404_on_another_territory(client, world):
    client.force_login(world["officer_t1"])

    assert client.get(_contract_url(world["orly"])).status_code == 404


def test_an_association_member_gets_404(client, world):
    client.force_login(member_of(AssociationFactory()))

    assert client.get(reverse("coordination:dashboard")).status_code == 404
    assert client.get(_contract_url(world["seine_amont"])).status_code == 404


@pytest.mark.parametrize(
    ("who", "link"),
    [
        ("coordinator", "Pilotage : tableau de bord"),
        ("officer_t1", "Tableau de bord du territoire"),
    ],
)
def test_my_space_links_the_dashboard(client, world, who, link):
    client.force_login(world[who])

    response = client.get(reverse("dashboard"))

    assert f'href="{reverse("coordination:dashboard")}">{link}</a>' in response.content.decode()


def test_my_space_of_a_member_has_no_dashboard_link(client, world):
    client.force_login(member_of(AssociationFactory()))

    response = client.get(reverse("dashboard"))

    assert reverse("coordination:dashboard") not in response.content.decode()


def test_the_figures_follow_a_project_that_changes_state(client, world):
    """The figures come from the cache, yet a move of a project shows on the next visit."""
    client.force_login(world["coordinator"])
    url = reverse("coordination:dashboard")

    def funnel():
        return [row[0][1] for row in table_values(parse(client.get(url).content), "entonnoir")]

    before = funnel()
    assert funnel() == before == ["10", "7", "5", "3", "2", "1"]

    project_transition(
        project=world["projects"]["a3"], actor=world["coordinator"], name="declare_eligible"
    )

    assert funnel() == ["10", "7", "5", "4", "2", "1"]


def test_the_page_kept_for_one_address_is_never_shown_for_another(client, world):
    """The filters and figures are kept per viewer and address: each page its own."""
    client.force_login(world["coordinator"])
    addresses = [
        reverse("coordination:dashboard"),
        _contract_url(world["seine_amont"]),
        reverse("coordination:dashboard") + "?edition=2030",
    ]

    first = [_text(client.get(url)) for url in addresses]
    again = [_text(client.get(url)) for url in addresses]

    assert again == first
    territory, contract, _ = first
    assert "Le tableau de bord de chaque contrat de ville" in territory
    assert "Le tableau de bord de chaque contrat de ville" not in contract
    funnels = [
        [row[0][1] for row in table_values(parse(client.get(url).content), "entonnoir")]
        for url in addresses
    ]
    assert funnels[0] == ["10", "7", "5", "3", "2", "1"]
    assert funnels[1] == ["6", "4", "3", "1", "1", "1"]
    assert funnels[2] != funnels[0]


def test_the_contract_list_follows_a_renamed_contract(client, world):
    client.force_login(world["coordinator"])
    url = reverse("coordination:dashboard")
    client.get(url)

    contract = world["seine_amont"]
    contract.short_name = "Seine Amont Nord"
    contract.save(update_fields=["short_name"])

    assert ">Seine Amont Nord</a>" in client.get(url).content.decode()


def test_a_new_edition_is_offered_on_the_next_visit(client, world):
    from tests.submissions.factories import EditionFactory

    client.force_login(world["coordinator"])
    url = reverse("coordination:dashboard")
    assert '<option value="2040">' not in client.get(url).content.decode()

    EditionFactory(year=2040)

    assert '<option value="2040">2040</option>' in client.get(url).content.decode()
