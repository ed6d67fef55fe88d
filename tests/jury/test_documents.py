import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from jury import services
from jury.models import JurySession
from tests.demo_world import DEMO
from tests.jury.factories import download_minutes, jury_session

# The demo, seeded once for all the tests of a worker that read it (tests/demo_world.py).
demo = DEMO.fixture("demo")


@pytest.fixture
def session(demo) -> JurySession:
    return demo["session"]


def _pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_minutes_list_the_recusal_and_the_scores(
    client, session, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.get(email="coordination@demo.test"))

    response = download_minutes(client, session, django_capture_on_commit_callbacks)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        f"proces-verbal-jury-{session.edition.year}-{session.pk}.pdf"
        in (response["Content-Disposition"])
    )
    text = _pdf_text(b"".join(response.streaming_content))
    assert "Procès-verbal du jury" in text
    assert "Déports pour conflit d'intérêts" in text
    assert "Membre du conseil d'administration de l'association." in text
    assert "ce document est provisoire" in text


def test_scores_export_csv_has_one_row_per_submitted_evaluation(client, session):
    client.force_login(User.objects.get(email="coordination@demo.test"))

    response = client.get(reverse("jury:scores_export", args=[session.pk, "csv"]))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Ordre", "Projet", "Association", "Juré", "Qualité"]
    assert len(rows) == 1 + 7
    assert response["Content-Disposition"].startswith("attachment;")


def test_scores_export_xlsx_opens_with_the_same_rows(client, session):
    client.force_login(User.objects.get(email="coordination@demo.test"))

    response = client.get(reverse("jury:scores_export", args=[session.pk, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 7
    assert sheet["B1"].value == "Projet"


@pytest.mark.parametrize(
    "email", ["jury2@demo.test", "asso.alpha@demo.test", "chef.thiais@demo.test"]
)
def test_exports_and_minutes_are_hidden_from_others(client, session, email):
    client.force_login(User.objects.get(email=email))

    for url in [
        reverse("jury:minutes", args=[session.pk]),
        reverse("jury:minutes_download", args=[session.pk]),
        reverse("jury:scores_export", args=[session.pk, "csv"]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("jury:minutes", args=[session.pk])).status_code == 404


def test_scores_export_has_each_criterion_comment_beside_its_score(client, db):
    jury = jury_session(projects=1, jurors=1)
    member, project = jury.jurors[0], jury.projects[0]
    services.declaration_save(member=member, project=project, has_conflict=False, reason="")
    services.evaluation_save(
        member=member,
        project=project,
        scores={
            c.pk: {"value": "4", "comment": f"Remarque sur {c.label.lower()}."}
            for c in jury.criteria
        },
        general_comment="Un bon projet.",
        version=None,
        submit=True,
    )
    client.force_login(jury.coordinator)
    first = jury.criteria[0]

    csv_response = client.get(reverse("jury:scores_export", args=[jury.session.pk, "csv"]))
    xlsx_response = client.get(reverse("jury:scores_export", args=[jury.session.pk, "xlsx"]))

    csv_rows = list(
        csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";")
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for header, row in (csv_rows[0], csv_rows[1]), (xlsx_rows[0], xlsx_rows[1]):
        assert header[5:7] == [
            f"{first.label} (sur 5, poids {first.weight})",
            f"Commentaire — {first.label}",
        ]
        assert [Decimal(str(row[5]).replace(",", ".")), row[6]] == [
            Decimal("4"),
            f"Remarque sur {first.label.lower()}.",
        ]
        comments = [row[header.index(f"Commentaire — {c.label}")] for c in jury.criteria]
        assert comments == [f"Remarque sur {c.label.lower()}." for c in jury.criteria]
