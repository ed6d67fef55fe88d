"""The label certificate (PDF) and its public verification page."""

import datetime
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from laureates import certificate as certificates
from laureates.certificate import normalise_code
from submissions.enums import EditionState, ProjectState
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.factories import LaureateFactory
from tests.submissions.factories import EditionFactory, ProjectFactory

CODE = "7KQ4-M2XP-9DTA"


def laureate_with_project(state=ProjectState.LAUREATE, **kwargs):
    """A laureate of the portal: its project went through the jury, in ``state``."""
    association = kwargs.pop("association", None) or AssociationFactory(
        name="Les Jardins d'Ivry-Port"
    )
    edition = EditionFactory(
        year=kwargs.pop("year", 2025),
        state=EditionState.ARCHIVED,
        results_published_at=timezone.make_aware(datetime.datetime(2025, 6, 20, 18, 0)),
    )
    project = ProjectFactory(association=association, edition=edition, state=state)
    return LaureateFactory(
        project=project,
        association=association,
        edition=edition,
        **{"title": "Un potager sur le toit", "amount_granted": Decimal("4500"), **kwargs},
    )


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7KQ4-M2XP-9DTA", CODE),
        ("7kq4 m2xp 9dta", CODE),
        ("  7KQ4M2XP9DTA ", CODE),
        ("7kq4.m2xp.9dta", CODE),
        ("7KQ4-M2XP-9DT", None),  # one character short
        ("7KQ4-M2XP-9DTO", None),  # O is never used
        ("", None),
        ("ab\x00cd", None),
    ],
)
def test_normalise_code_accepts_case_spaces_and_missing_dashes(typed, expected):
    assert normalise_code(typed) == expected


def test_certificate_pdf_says_association_project_year_amount_and_code(client, db, settings):
    settings.LABEL_SIGNATORY_NAME = "Camille Martin"
    settings.LABEL_SIGNATORY_TITLE = "Vice-présidente chargée de la politique de la ville"
    laureate = laureate_with_project(certificate_code=CODE)
    client.force_login(member_of(laureate.association))

    response = client.get(reverse("laureates:certificate", args=[laureate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="attestation-label-2025-{laureate.slug}.pdf"'
    )
    text = pdf_text(response.content).replace("\u202f", " ").replace("\xa0", " ")
    for expected in [
        "Attestation de labellisation",
        "Grand-Orly Seine Bièvre",
        "Les Jardins d'Ivry-Port",
        "Un potager sur le toit",
        "Label Actions Innovantes 2025",
        "20 juin 2025",
        "4 500,00 €",
        "Camille Martin",
        "Vice-présidente chargée de la politique de la ville",
        CODE,
        f"http://testserver/laureats/verifier/{CODE}/",
    ]:
        assert expected in text, expected


def test_the_coordination_downloads_any_certificate(client, db):
    laureate = laureate_with_project(state=ProjectState.COMPLETED)
    client.force_login(UserFactory(coordinator=True))

    response = client.get(reverse("laureates:certificate", args=[laureate.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_archive_laureate_has_its_certificate_without_amount_line(client, db):
    laureate = LaureateFactory(project=None, amount_granted=None)
    client.force_login(member_of(laureate.association))

    response = client.get(reverse("laureates:certificate", args=[laureate.pk]))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert laureate.title in text
    assert "Montant accordé" not in text
    # The archives know the year only: no date is made up.
    assert "par décision du" not in text


def test_an_archive_laureate_is_dated_by_its_announced_results(client, db):
    edition = EditionFactory(
        year=2019, state=EditionState.ARCHIVED, results_on=datetime.date(2019, 11, 14)
    )
    laureate = LaureateFactory(project=None, edition=edition, certificate_code=CODE)

    content = client.get(reverse("laureates:verify", args=[CODE])).content.decode()

    assert "Cette attestation est authentique" in content
    assert "<dt>Date de labellisation</dt><dd>14 novembre 2019</dd>" in content
    assert laureate.title in content


@pytest.mark.parametrize("state", [ProjectState.SHORTLISTED, ProjectState.NOT_SELECTED])
def test_no_certificate_before_the_results_are_published(client, db, state):
    laureate = laureate_with_project(state=state)
    client.force_login(member_of(laureate.association))

    assert client.get(reverse("laureates:certificate", args=[laureate.pk])).status_code == 404
    space = client.get(reverse("laureates:space", args=[laureate.pk])).content.decode()
    assert "L'attestation sera disponible ici dès que la coordination" in space
    assert reverse("laureates:certificate", args=[laureate.pk]) not in space


def test_a_member_of_another_association_gets_404(client, db):
    laureate = laureate_with_project()
    client.force_login(member_of(AssociationFactory()))

    for name in ["certificate", "space", "badge_svg"]:
        assert client.get(reverse(f"laureates:{name}", args=[laureate.pk])).status_code == 404
    url = reverse("laureates:badge_png", args=[laureate.pk, "petit"])
    assert client.get(url).status_code == 404


def test_a_pdf_failure_sends_back_to_the_space_with_a_french_error(client, db, monkeypatch):
    laureate = laureate_with_project()
    client.force_login(member_of(laureate.association))

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint a calé")

    monkeypatch.setattr(certificates, "render_pdf", broken)
    response = client.get(reverse("laureates:certificate", args=[laureate.pk]))

    assert response.status_code == 302
    assert response.url == reverse("laureates:space", args=[laureate.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "L'attestation n'a pas pu être fabriquée. Réessayez dans quelques minutes ; "
        "si cela se reproduit, écrivez à la coordination du label."
    ]


# Verification, by anyone.


def test_verify_confirms_an_authentic_certificate(client, db):
    laureate = laureate_with_project(certificate_code=CODE)

    response = client.get(reverse("laureates:verify", args=[CODE]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Cette attestation est authentique" in page
    for expected in [
        "Les Jardins d&#x27;Ivry-Port",
        "Un potager sur le toit",
        "2025",
        "20 juin 2025",
    ]:
        assert expected in page
    # Only what the certificate says: the amount is not shown.
    assert "4500" not in page and "4 500" not in page
    assert laureate.is_public is False  # verified before the showcase is published
    assert '<meta name="robots" content="noindex">' in page


def test_verify_form_normalises_what_was_typed(client, db):
    laureate_with_project(certificate_code=CODE)

    response = client.get(
        reverse("laureates:verify_form"), {"code": " 7kq4 m2xp 9dta "}, follow=True
    )

    assert response.redirect_chain == [(reverse("laureates:verify", args=[CODE]), 302)]
    assert "Cette attestation est authentique" in response.content.decode()


def test_verify_url_typed_in_lower_case_goes_to_the_printed_code(client, db):
    response = client.get("/laureats/verifier/7kq4m2xp9dta/")

    assert response.status_code == 302
    assert response.url == reverse("laureates:verify", args=[CODE])


def test_verify_form_explains_a_malformed_code(client, db):
    response = client.get(reverse("laureates:verify_form"), {"code": "12345"})

    assert response.status_code == 400
    assert "Ce code n&#x27;a pas la forme d&#x27;un code d&#x27;attestation" in (
        response.content.decode()
    )
    assert 'value="12345"' in response.content.decode()


def test_verify_an_unknown_code_answers_404_with_help(client, db):
    response = client.get(reverse("laureates:verify", args=[CODE]))

    assert response.status_code == 404
    page = response.content.decode()
    assert "Aucune attestation ne correspond à ce code" in page
    assert CODE in page
    assert 'name="code"' in page  # another code can be tried from there


def test_verify_does_not_confirm_a_laureate_before_the_results(client, db):
    laureate_with_project(state=ProjectState.SHORTLISTED, certificate_code=CODE)

    assert client.get(reverse("laureates:verify", args=[CODE])).status_code == 404


def test_verify_is_rate_limited_per_connection(client, db, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "certificate_verify_ip": (2, timedelta(hours=1)),
    }
    laureate_with_project(certificate_code=CODE)
    url = reverse("laureates:verify", args=[CODE])
    assert client.get(url).status_code == 200
    assert client.get(reverse("laureates:verify", args=["2222-3333-4444"])).status_code == 404

    response = client.get(url)

    assert response.status_code == 429
    page = response.content.decode().replace("\xa0", " ")
    assert "Trop de vérifications depuis votre connexion" in page
    assert "attendez 59 minutes avant de vérifier un autre code" in page
    assert "au plus 2 vérifications par heure" in page
    assert "authentique" not in page
    # Another connection is not held back.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_verify_pages_explain_the_limit(client, db):
    page = client.get(reverse("laureates:verify_form")).content.decode()

    assert "au plus 30 vérifications par heure" in page
