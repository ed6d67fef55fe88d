"""The laureates' space: the list of one's laureate projects, the hub page, the badge kit."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from laureates.enums import CardState
from submissions.enums import ProjectState
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.laureates.test_certificate import laureate_with_project
from tests.submissions.factories import EditionFactory

SVG = "{http://www.w3.org/2000/svg}"


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The list: laureates:mine.


def test_a_member_sees_the_laureates_of_their_association_only(client, db):
    association = AssociationFactory()
    own = LaureateFactory(association=association, title="Cuisine du monde au pied des tours")
    LaureateFactory(title="Le projet d'une autre association")
    client.force_login(member_of(association))

    content = page(client.get(reverse("laureates:mine")))

    assert "Cuisine du monde au pied des tours" in content
    assert reverse("laureates:space", args=[own.pk]) in content
    assert "Le projet d&#x27;une autre association" not in content
    assert "1 projet lauréat." in content


def test_a_member_without_laureate_is_told_what_will_come(client, db):
    client.force_login(member_of(AssociationFactory()))

    content = page(client.get(reverse("laureates:mine")))

    assert "Aucun projet lauréat pour le moment." in content


def test_the_coordination_sees_every_laureate_and_filters_by_year(client, db):
    LaureateFactory(edition=EditionFactory(year=2019), title="Projet de 2019")
    LaureateFactory(edition=EditionFactory(year=2021), title="Projet de 2021")
    client.force_login(UserFactory(coordinator=True))

    every = page(client.get(reverse("laureates:mine")))
    of_2019 = page(client.get(reverse("laureates:mine"), {"annee": "2019"}))

    assert "Projet de 2019" in every and "Projet de 2021" in every
    assert '<option value="2021">2021</option>' in every
    assert "Projet de 2019" in of_2019 and "Projet de 2021" not in of_2019


def test_the_list_says_which_certificates_are_available(client, db):
    association = AssociationFactory()
    laureate_with_project(association=association, title="Projet primé", year=2024)
    laureate_with_project(
        association=association,
        title="Projet en attente",
        state=ProjectState.SHORTLISTED,
        year=2023,
    )
    client.force_login(member_of(association))

    rows = re.findall(r"<tr>.*?</tr>", page(client.get(reverse("laureates:mine"))), re.S)

    assert ["Disponible" in row for row in rows[1:]] == [True, False]
    assert "Après la publication des résultats" in rows[2]


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_list_costs_the_same_with_one_or_many_laureates(client, db, role):
    association = AssociationFactory()
    user = member_of(association) if role == "member" else UserFactory(coordinator=True)
    client.force_login(user)
    laureate_with_project(association=association, year=2020)
    with_one = count_queries(client, reverse("laureates:mine"))

    for year in range(2010, 2018):
        laureate_with_project(association=association, year=year)
    LaureateFactory.create_batch(3, association=association, project=None)
    with_many = count_queries(client, reverse("laureates:mine"))

    assert with_one == with_many


# The hub: laureates:space.


def test_the_space_shows_card_certificate_badge_and_followup(client, db):
    laureate = laureate_with_project(certificate_code="7KQ4-M2XP-9DTA")
    client.force_login(member_of(laureate.association))

    content = page(client.get(reverse("laureates:space", args=[laureate.pk])))

    assert "<h1>Un potager sur le toit</h1>" in content
    assert "Prête — pas encore visible du public" in content
    assert reverse("laureates:certificate", args=[laureate.pk]) in content
    assert "7KQ4-M2XP-9DTA" in content
    assert "http://testserver/laureats/verifier/7KQ4-M2XP-9DTA/" in content
    assert f'src="{reverse("laureates:badge_svg", args=[laureate.pk])}"' in content
    alt = "Lauréat du Label Actions Innovantes 2025 du Grand-Orly Seine Bièvre"
    assert f'alt="{alt}"' in content
    assert f"« {alt} »" in content  # the alt text to reuse, in the usage notes
    assert reverse("laureates:badge_png", args=[laureate.pk, "grand"]) in content
    assert '<h2 id="titre-suivi">Suivi</h2>' in content
    # The association writes its public card with the coordination.
    assert (
        f'href="{reverse("laureates:card_edit", args=[laureate.pk])}">Modifier la fiche' in content
    )


def test_the_space_links_to_the_public_card_once_public(client, db):
    laureate = LaureateFactory(public=True, association=AssociationFactory())
    hidden = LaureateFactory(association=laureate.association, state=CardState.READY)
    client.force_login(member_of(laureate.association))
    public_url = reverse("laureates:detail", args=[laureate.year, laureate.slug])

    shown = page(client.get(reverse("laureates:space", args=[laureate.pk])))
    not_yet = page(client.get(reverse("laureates:space", args=[hidden.pk])))

    assert f'<a href="{public_url}">Voir la fiche publique' in shown
    assert "Voir la fiche publique" not in not_yet
    assert "La fiche sera visible sur le site quand la coordination" in not_yet


def test_dashboard_leads_members_of_a_laureate_association_to_their_space(client, db):
    laureate = laureate_with_project()
    member = member_of(laureate.association)
    client.force_login(member)

    content = page(client.get(reverse("dashboard")))

    assert "Votre association porte 1 projet lauréat du label" in content
    assert f'href="{reverse("laureates:mine")}">Mes projets lauréats</a>' in content
    client.force_login(member_of(AssociationFactory()))
    assert "Mes projets lauréats" not in page(client.get(reverse("dashboard")))


# The badge kit.


def test_badge_svg_has_its_title_and_year_and_no_outside_reference(client, db):
    laureate = laureate_with_project(year=2024)
    client.force_login(member_of(laureate.association))

    response = client.get(reverse("laureates:badge_svg", args=[laureate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "Content-Disposition" not in response
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own answer
    title = root.find(f"{SVG}title")
    assert title.text == "Lauréat du Label Actions Innovantes 2024 du Grand-Orly Seine Bièvre"
    assert root.get("aria-labelledby") == title.get("id")
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts == ["LAURÉAT", "Label Actions", "Innovantes", "2024", "Grand-Orly Seine Bièvre"]
    body = response.content.decode()
    assert "href" not in body and "url(" not in body and "@import" not in body
    assert body.count("http") == 1  # the SVG namespace only


def test_badge_svg_downloads_with_a_file_name(client, db):
    laureate = laureate_with_project(year=2024)
    client.force_login(member_of(laureate.association))

    response = client.get(reverse("laureates:badge_svg", args=[laureate.pk]), {"telecharger": "1"})

    assert response["Content-Disposition"] == (
        'attachment; filename="laureat-label-actions-innovantes-2024.svg"'
    )


@pytest.mark.parametrize(("size", "width"), [("petit", 300), ("grand", 1200)])
def test_badge_png_opens_at_its_size(client, db, size, width):
    laureate = laureate_with_project(year=2024)
    client.force_login(member_of(laureate.association))

    response = client.get(reverse("laureates:badge_png", args=[laureate.pk, size]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="laureat-label-actions-innovantes-2024-{size}.png"'
    )
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size, image.mode) == ("PNG", (width, width), "RGBA")
    # Transparent corners, the portal's blue in the disc.
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((width * 12 // 400, width // 2))[:3] == (31, 63, 143)


def test_badge_png_of_an_unknown_size_is_404(client, db):
    laureate = laureate_with_project()
    client.force_login(member_of(laureate.association))

    url = reverse("laureates:badge_png", args=[laureate.pk, "geant"])

    assert client.get(url).status_code == 404


def test_no_badge_before_the_results(client, db):
    laureate = laureate_with_project(state=ProjectState.SHORTLISTED)
    client.force_login(member_of(laureate.association))

    assert client.get(reverse("laureates:badge_svg", args=[laureate.pk])).status_code == 404
    content = page(client.get(reverse("laureates:space", args=[laureate.pk])))
    assert "Le badge sera disponible avec l'attestation" in content
