"""The juror's scoring page: two tabs on the same evaluation never overwrite each other silently."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jury import services
from jury.models import Evaluation
from submissions.deposit import deposit_pdf_bytes, snapshot_data
from submissions.models import BudgetLine, DepositSnapshot
from tests.jury.factories import jury_session
from tests.submissions.factories import COMPLETE_BUDGET
from tests.utils import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(client):
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    services.declaration_save(member=juror, project=project, has_conflict=False, reason="")
    client.force_login(juror.user)
    url = reverse("jury:evaluation", args=[jury.session.pk, project.pk])
    return jury, url


def _post(client, url, version, criteria, values, general_comment):
    data = {"version": version, "general_comment": general_comment, "brouillon": ""}
    for criterion, value in zip(criteria, values, strict=False):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = ""
    return client.post(url, data)


def _served_version(response) -> str:
    """The version the page's form was served with, as the browser sends it back."""
    return re.search(r'name="version" id="id_version" value="(\d*)"', response.content.decode())[1]


def test_a_first_draft_saved_in_two_tabs_is_not_silently_overwritten(client, scoring):
    jury, url = scoring
    first_tab, second_tab = client.get(url), client.get(url)
    assert 'name="version" id="id_version" value="0"' in first_tab.content.decode()
    saved = _post(client, url, _served_version(first_tab), jury.criteria, ["3"], "Onglet A")
    assert saved.status_code == 302

    response = _post(client, url, _served_version(second_tab), jury.criteria, ["1,5"], "Onglet B")

    text = page(response)
    assert response.status_code == 400
    assert (
        "Cette évaluation a été enregistrée depuis un autre onglet ou appareil. Vos notes sont "
        "conservées : comparez-les avec la version enregistrée, puis choisissez."
    ) in text
    evaluation = Evaluation.objects.get()
    assert (evaluation.version, evaluation.general_comment) == (2, "Onglet A")
    # What was typed in the second tab is still in the form.
    criterion = jury.criteria[0]
    assert f'name="score_{criterion.pk}" value="1,5"' in text
    assert ">\nOnglet B</textarea>" in text
    # Beside it, what the first tab saved.
    local = timezone.localtime(evaluation.updated_at)
    saved_by = (
        "Enregistré par vous, dans un autre onglet ou sur un autre appareil, "
        f"à {local.hour} h {local.minute:02d} :"
    )
    assert f"<dt>« {criterion.label} » : note</dt>" in text
    assert f"{saved_by}</strong> 3</p>" in text
    assert "<strong>Votre saisie :</strong> 1,5</p>" in text
    assert f"{saved_by}</strong> Onglet A</p>" in text
    assert "<strong>Votre saisie :</strong> Onglet B</p>" in text
    assert "Remplacer par ma saisie" in text
    assert f'href="{url}">Garder la version enregistrée</a>' in text


def test_replacing_with_what_was_typed_saves_over_the_fresh_version(client, scoring):
    jury, url = scoring
    first_tab, second_tab = client.get(url), client.get(url)
    _post(client, url, _served_version(first_tab), jury.criteria, ["3"], "Onglet A")
    refused = _post(client, url, _served_version(second_tab), jury.criteria, ["1,5"], "Onglet B")

    replaced = client.post(url, {**refused.context["page"].form.data.dict(), "remplacer": "1"})

    assert replaced.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.version, evaluation.general_comment) == (3, "Onglet B")
    assert str(evaluation.scores.get().value) == "1.5"


def _deposit_with_budget(project):
    """The project's frozen dossier, with the balanced budget of a complete one."""
    BudgetLine.objects.bulk_create(
        BudgetLine(project=project, position=index, **line)
        for index, line in enumerate(COMPLETE_BUDGET)
    )
    DepositSnapshot.objects.filter(project=project).update(data=snapshot_data(project))
    return DepositSnapshot.objects.get(project=project)


def _rows(html: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
    ]


def test_the_dossier_page_names_each_budget_line_side_from_its_enum(client, scoring):
    jury, _url = scoring
    project = jury.projects[0]
    _deposit_with_budget(project)

    response = client.get(reverse("jury:dossier", args=[jury.session.pk, project.pk]))

    rows = _rows(page(response))
    assert "Charges 60 Achats 1 000,00 €" in rows
    assert "Produits 70 Ventes 500,00 €" in rows


def test_the_dossier_pdf_names_each_budget_line_side_from_its_enum(scoring):
    jury, _url = scoring
    snapshot = _deposit_with_budget(jury.projects[0])

    content = deposit_pdf_bytes(snapshot)

    text = " ".join(
        " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Charges 60 Achats 1000" in text
    assert "Produits 70 Ventes 500" in text
