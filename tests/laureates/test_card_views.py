"""The coordination's showcase pages, the card form with its photo, and the public photo."""

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from core.models import Event
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from submissions.enums import EditionState, ProjectState
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import EditionFactory, ProjectFactory
from tests.utils import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(coordinator=True)
    client.force_login(user)
    return user


def image_bytes(kind="JPEG", size=(2400, 1200), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    output = io.BytesIO()
    options = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Appareil de test"  # Make
        tags[0x8825] = {1: "N", 2: (48.0, 47.0, 0.0)}  # GPS
        options["exif"] = tags.tobytes()
    image.save(output, format=kind, **options)
    return output.getvalue()


def form_data(card, **changes):
    data = {
        "version": card.version,
        "title": card.title,
        "pitch": card.pitch,
        "description": card.description,
        "photo_alt": card.photo_alt,
        "commune": card.commune_id,
        "themes": card.themes,
        "amount_granted": "" if card.amount_granted is None else str(card.amount_granted),
        "partners": card.partners,
        "website": card.website,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_url(card):
    return reverse("laureates:card_edit", args=[card.pk])


# --- The card form -------------------------------------------------------------------------


def test_a_member_edits_the_card_of_their_association(client):
    card = LaureateFactory()
    client.force_login(member_of(card.association))

    shown = client.get(edit_url(card))
    assert shown.status_code == 200
    assert "Montant accordé" not in page(shown)

    saved = client.post(edit_url(card), form_data(card, title="Le jardin des Lilas"))

    assert saved.status_code == 302
    assert Laureate.objects.get(pk=card.pk).title == "Le jardin des Lilas"


def test_a_member_of_another_association_gets_404(client):
    card = LaureateFactory()
    client.force_login(member_of(AssociationFactory()))

    assert client.get(edit_url(card)).status_code == 404
    assert client.post(edit_url(card), form_data(card, title="Piraté")).status_code == 404
    assert Laureate.objects.get(pk=card.pk).title == card.title


def test_a_photo_is_resized_and_loses_its_exif(client, coordinator):
    card = LaureateFactory()
    upload = SimpleUploadedFile("jardin.jpg", image_bytes(), content_type="image/jpeg")

    response = client.post(
        edit_url(card),
        {**form_data(card, photo_alt="Des enfants plantent des tomates."), "photo": upload},
    )

    assert response.status_code == 302
    card.refresh_from_db()
    with card.photo.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 800))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert card.photo.name.startswith("laureats/") and card.photo.name.endswith(".jpg")
    assert Event.objects.get(object_id=card.pk, action="edit").changes == {
        "fields": ["photo", "photo_alt"]
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.jpg",
            b"Ceci est un texte, pas une photo.",
            "n'est pas une photo JPEG, PNG ou WebP",
        ),
        (
            "scan.jpg",
            b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
            "n'est pas une photo JPEG, PNG ou WebP",
        ),
        ("enorme.jpg", b"\xff\xd8\xff\xe0" + b"0" * (5 * 1024 * 1024), "dépasse 5 Mo"),
    ],
)
def test_a_file_that_is_not_an_acceptable_photo_is_refused(
    client, coordinator, name, content, message
):
    card = LaureateFactory()

    response = client.post(
        edit_url(card),
        {
            **form_data(card, title="Titre tapé", photo_alt="Une photo."),
            "photo": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        },
    )

    assert response.status_code == 400
    text = page(response)
    assert f"« {name} » {message}" in text
    # What was typed is kept; nothing is saved.
    assert 'value="Titre tapé"' in text
    assert not Laureate.objects.get(pk=card.pk).photo


def test_a_photo_needs_its_description(client, coordinator):
    card = LaureateFactory()
    upload = SimpleUploadedFile(
        "jardin.png", image_bytes("PNG", (40, 30)), content_type="image/png"
    )

    response = client.post(edit_url(card), {**form_data(card, photo_alt=""), "photo": upload})

    assert response.status_code == 400
    assert "Décrivez la photo en quelques mots" in page(response)
    assert not Laureate.objects.get(pk=card.pk).photo


def test_a_stale_save_shows_both_versions_and_keeps_what_was_typed(client, coordinator):
    card = LaureateFactory(title="Titre d'origine")
    opened = form_data(card)
    client.post(edit_url(card), {**opened, "title": "Titre de la coordination"})

    response = client.post(edit_url(card), {**opened, "title": "Titre de l'association"})

    assert response.status_code == 400
    text = page(response)
    assert "Enregistré entre-temps : à vous de choisir" in text
    assert "Titre de la coordination" in text
    assert 'value="Titre de l\'association"' in text or "Titre de l'association" in text
    assert f'name="version" value="{card.version + 1}"' in text
    assert Laureate.objects.get(pk=card.pk).title == "Titre de la coordination"


# --- The public photo ----------------------------------------------------------------------


def card_with_photo(**kwargs):
    card = LaureateFactory(photo_alt="Le jardin.", **kwargs)
    card.photo.save("x.png", ContentFile(image_bytes("PNG", (20, 10), exif=False)))
    return card


def test_the_photo_of_a_public_card_is_served_with_caching_headers(client):
    card = card_with_photo(public=True)

    response = client.get(reverse("laureates:photo", args=[card.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_photo_of_a_card_not_public_answers_404(client):
    card = card_with_photo(state=CardState.PUBLISHED)  # published in a showcase still draft

    assert client.get(reverse("laureates:photo", args=[card.pk])).status_code == 404
    client.force_login(member_of(card.association))
    preview = client.get(reverse("laureates:photo_preview", args=[card.pk]))
    assert (preview.status_code, preview["Cache-Control"]) == (200, "private, no-store")


def test_card_photos_are_kept_out_of_the_public_media_folder(settings):
    card = card_with_photo(public=True)
    path = Path(card.photo.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.is_relative_to(Path(card.photo.storage.location).resolve())


# --- The showcase pages --------------------------------------------------------------------


def laureate_projects(edition, count):
    return [
        ProjectFactory(complete=True, edition=edition, state=ProjectState.LAUREATE)
        for _ in range(count)
    ]


def test_creating_the_cards_twice_makes_one_card_per_project(client, coordinator):
    edition = EditionFactory(state=EditionState.ARCHIVED)
    laureate_projects(edition, 2)
    url = reverse("laureates:showcase_cards_create", args=[edition.year])

    client.post(url)
    client.post(url)

    assert Laureate.objects.filter(edition=edition).count() == 2
    shown = page(client.get(reverse("laureates:showcase", args=[edition.year])))
    assert "Chaque projet lauréat a déjà sa fiche." in shown


def test_publishing_the_showcase_asks_to_confirm_then_says_what_it_did(client, coordinator):
    card = LaureateFactory()
    LaureateFactory(edition=card.edition, state=CardState.DRAFT)
    url = reverse("laureates:showcase_transition", args=[card.year, "publish"])

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Publier la vitrine « Projets primés en" in page(asked)
    assert Showcase.objects.get(edition=card.edition).state == ShowcaseState.DRAFT

    done = client.post(url, {"confirmed": "1"}, follow=True)
    text = page(done)
    assert "Vitrine publiée." in text
    assert "1 fiche publiée ; 1 fiche pas encore prête, restée cachée." in text
    assert Laureate.objects.get(pk=card.pk).is_public is True


def test_withdrawing_the_showcase_without_a_reason_asks_again(client, coordinator):
    card = LaureateFactory(public=True)
    url = reverse("laureates:showcase_transition", args=[card.year, "unpublish"])

    refused = client.post(url, {"confirmed": "1", "comment": ""})

    assert refused.status_code == 400
    assert "Indiquez le motif." in page(refused)
    assert Laureate.objects.get(pk=card.pk).is_public is True


def test_an_unknown_move_answers_404(client, coordinator):
    card = LaureateFactory()
    assert (
        client.get(reverse("laureates:card_transition", args=[card.pk, "voler"])).status_code == 404
    )
    internal = reverse("laureates:card_transition", args=[card.pk, "publish_with_showcase"])
    assert client.post(internal).status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_showcase_list_costs_the_same_with_one_or_many_editions(client, coordinator):
    LaureateFactory()
    with_one = count_queries(client, reverse("laureates:showcase_list"))
    for _ in range(5):
        LaureateFactory(public=True)
    assert count_queries(client, reverse("laureates:showcase_list")) == with_one


def test_the_edition_page_costs_the_same_with_one_or_many_cards(client, coordinator):
    edition = EditionFactory(state=EditionState.ARCHIVED)
    LaureateFactory(edition=edition)
    laureate_projects(edition, 1)
    url = reverse("laureates:showcase", args=[edition.year])
    with_one = count_queries(client, url)
    for state in [CardState.DRAFT, CardState.READY, CardState.PUBLISHED, CardState.UNPUBLISHED]:
        LaureateFactory(edition=edition, state=state)
    laureate_projects(edition, 3)
    assert count_queries(client, url) == with_one
