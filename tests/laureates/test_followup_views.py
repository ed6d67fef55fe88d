"""The follow-up pages: what the association and the coordination see and do."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from laureates import selectors
from laureates.enums import MilestoneStatus, ReportState
from laureates.models import FundingTranche, Report
from submissions.enums import ProjectState
from submissions.models import Project
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.laureates.followup_factories import (
    MilestoneFactory,
    ReportFactory,
    TrancheFactory,
    followup_laureate,
    in_days,
)
from tests.test_query_counts import count_queries

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def laureate(db):
    laureate = followup_laureate(title="Jardin partagé")
    TrancheFactory(laureate=laureate, amount=3000, due_on=in_days(-2), condition="À la signature.")
    MilestoneFactory(laureate=laureate, title="Premier atelier", planned_on=in_days(5))
    return laureate


@pytest.fixture
def member(laureate):
    return member_of(laureate.association)


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


def _url(name, laureate, *args):
    return reverse(f"laureates:{name}", args=[laureate.pk, *args])


def test_the_member_reads_the_tranches_and_sees_what_is_late(client, laureate, member):
    client.force_login(member)

    response = client.get(_url("followup", laureate))

    page = response.content.decode()
    assert response.status_code == 200
    assert "3\xa0000,00 €" in page
    assert "Non versée, en retard" in page
    assert "<strong>Tranche</strong> : versement de 3\xa0000,00 €, échéance le" in page
    assert "(2 jours de retard)" in page
    assert "Premier atelier" in page
    # Read-only for members: no way to edit the agreement.
    assert "Ajouter une tranche" not in page
    assert "/suivi/tranches/" not in page
    assert "Marquer réalisé" not in page


def test_a_member_cannot_edit_tranches(client, laureate, member):
    tranche = laureate.tranches.get()
    client.force_login(member)

    answers = [
        client.get(_url("followup_item_add", laureate, "tranches")).status_code,
        client.post(
            _url("followup_item_add", laureate, "tranches"),
            {"amount": "100", "due_on": "2026-12-01"},
        ).status_code,
        client.post(
            _url("followup_item_edit", laureate, "tranches", tranche.pk),
            {"amount": "1", "due_on": "2026-12-01", "paid_on": "2026-12-01"},
        ).status_code,
        client.post(
            _url("followup_item_delete", laureate, "tranches", tranche.pk), {"confirmed": "1"}
        ).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    tranche.refresh_from_db()
    assert (FundingTranche.objects.count(), tranche.amount, tranche.paid_on) == (1, 3000, None)


def test_another_association_gets_404(client, laureate):
    client.force_login(member_of(AssociationFactory()))

    assert client.get(_url("followup", laureate)).status_code == 404


def test_the_coordinator_records_a_tranche_as_paid(client, laureate, coordinator):
    tranche = laureate.tranches.get()
    client.force_login(coordinator)

    response = client.post(
        _url("followup_item_edit", laureate, "tranches", tranche.pk),
        {
            "amount": "3 000,00 €",
            "due_on": tranche.due_on.isoformat(),
            "condition": "À la signature.",
            "paid_on": in_days(0).isoformat(),
        },
    )

    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.paid_on == in_days(0)
    page = client.get(_url("followup", laureate)).content.decode()
    assert "Non versée, en retard" not in page


def test_a_bad_date_is_shown_again_with_what_was_typed(client, laureate, coordinator):
    client.force_login(coordinator)

    response = client.post(
        _url("followup_item_add", laureate, "etapes"),
        {"title": "Fête de quartier", "planned_on": "bientôt"},
    )

    assert response.status_code == 400
    assert "Saisissez une date valide." in response.content.decode()
    assert 'value="Fête de quartier"' in response.content.decode()


def test_unknown_agreement_part_is_404(client, laureate, coordinator):
    client.force_login(coordinator)

    assert client.get(_url("followup_item_add", laureate, "inconnu")).status_code == 404


def test_the_member_updates_a_milestone_without_javascript(client, laureate, member):
    milestone = laureate.milestones.get()
    client.force_login(member)

    response = client.post(
        _url("followup_milestone", laureate, milestone.pk),
        {f"etape-{milestone.pk}-status": "in_progress", f"etape-{milestone.pk}-note": "Salle ok."},
    )

    assert response.status_code == 302
    assert response.url.endswith(f"#etape-{milestone.pk}")
    milestone.refresh_from_db()
    assert (milestone.status, milestone.note) == (MilestoneStatus.IN_PROGRESS, "Salle ok.")


def test_a_too_long_milestone_note_comes_back_with_its_error(client, laureate, member):
    milestone = laureate.milestones.get()
    client.force_login(member)

    response = client.post(
        _url("followup_milestone", laureate, milestone.pk),
        {f"etape-{milestone.pk}-status": "done", f"etape-{milestone.pk}-note": "x" * 501},
    )

    assert response.status_code == 400
    assert "x" * 501 in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED


def test_report_written_with_a_file_submitted_accepted_then_completed(
    client, laureate, member, coordinator
):
    report = ReportFactory(laureate=laureate, final=True)
    client.force_login(member)
    url = _url("followup_report", laureate, report.pk)

    response = client.post(
        url,
        {
            "text": "Quarante familles ont jardiné.",
            "file": SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png"),
            "action": "submit",
        },
    )
    assert response.status_code == 302
    assert response.url == _url("followup_report_transition", laureate, report.pk, "submit")
    confirm = client.get(response.url)
    assert "Remettre le bilan « Bilan final » ?" in confirm.content.decode()
    client.post(response.url, {"confirmed": "1"})
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert list(report.attachments.values_list("original_name", flat=True)) == ["photo.png"]
    file_url = report.attachments.get().get_absolute_url()
    assert client.get(file_url).status_code == 200

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Accepter le bilan" in page and "Renvoyer pour modifications" in page
    client.post(_url("followup_report_transition", laureate, report.pk, "accept"))
    client.post(_url("followup_complete", laureate), {"confirmed": "1"})

    laureate.project.refresh_from_db()
    assert laureate.project.state == ProjectState.COMPLETED
    page = client.get(_url("followup", laureate)).content.decode()
    assert "Le projet est réalisé : son suivi est terminé." in page


def test_sending_back_without_reason_shows_the_confirmation_again(client, laureate, coordinator):
    report = ReportFactory(laureate=laureate, submitted=True)
    client.force_login(coordinator)

    response = client.post(
        _url("followup_report_transition", laureate, report.pk, "send_back"), {"confirmed": "1"}
    )

    assert response.status_code == 400
    assert "Indiquez le motif." in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_marking_completed_too_early_says_why(client, laureate, coordinator):
    client.force_login(coordinator)

    response = client.post(_url("followup_complete", laureate), {"confirmed": "1"}, follow=True)

    assert "une fois son bilan final remis et accepté" in response.content.decode()
    laureate.project.refresh_from_db()
    assert laureate.project.state == ProjectState.LAUREATE


def _overview_world(count):
    for index in range(count):
        laureate = followup_laureate(title=f"Projet {index}")
        TrancheFactory(laureate=laureate, due_on=in_days(-index - 1))
        MilestoneFactory(laureate=laureate, planned_on=in_days(index))
        ReportFactory(laureate=laureate, due_on=in_days(-3))


def test_the_overview_costs_the_same_with_one_or_many_laureates(client, db):
    client.force_login(UserFactory(coordinator=True))
    url = reverse("laureates:followup_overview")
    _overview_world(1)
    with_one = count_queries(client, url)

    _overview_world(12)
    with_many = count_queries(client, url)

    assert with_one == with_many


def test_the_overview_filters_late_projects_of_one_edition(client, db):
    late = followup_laureate(title="En retard")
    ReportFactory(laureate=late, due_on=in_days(-1))
    on_time = followup_laureate(title="À l'heure", edition=late.edition)
    ReportFactory(laureate=on_time, due_on=in_days(10))
    other_edition = followup_laureate(title="Autre édition")
    ReportFactory(laureate=other_edition, due_on=in_days(-5))
    client.force_login(UserFactory(coordinator=True))

    response = client.get(
        reverse("laureates:followup_overview"), {"edition": late.edition_id, "late": "on"}
    )

    assert [row.title for row in response.context["laureates"]] == ["En retard"]
    assert "1 projet en suivi." in response.content.decode()


def test_the_progress_partial_shows_milestones_and_the_completed_badge(db):
    laureate = followup_laureate(public=True, show_progress=True)
    MilestoneFactory(laureate=laureate, title="Premier atelier", status=MilestoneStatus.DONE)
    Project.objects.filter(pk=laureate.project_id).update(state=ProjectState.COMPLETED)
    laureate.project.refresh_from_db()

    html = render_to_string(
        "laureates/_progress.html", {"progress": selectors.public_progress(laureate)}
    )

    assert "Avancement du projet" in html
    assert "Premier atelier" in html
    assert "Fait" in html
    assert "Réalisé" in html
    assert render_to_string("laureates/_progress.html", {"progress": None}).strip() == ""


def test_report_state_enum_is_shown_in_french(db):
    assert Report(state=ReportState.RETURNED).get_state_display() == "À reprendre"


def test_a_wrong_file_is_refused_and_the_text_stays(client, laureate, member):
    report = ReportFactory(laureate=laureate)
    client.force_login(member)

    response = client.post(
        _url("followup_report", laureate, report.pk),
        {
            "text": "Quarante familles ont jardiné.",
            "file": SimpleUploadedFile("bilan.pdf", b"pas un pdf", content_type="application/pdf"),
            "action": "submit",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Le contenu de « bilan.pdf » ne correspond pas à un fichier PDF." in page
    assert "Quarante familles ont jardiné." in page
    report.refresh_from_db()
    assert (report.state, report.text, report.attachments.count()) == (
        ReportState.EXPECTED,
        "Quarante familles ont jardiné.",
        0,
    )


def test_a_late_report_says_so_on_its_page(client, laureate, member):
    report = ReportFactory(laureate=laureate, due_on=in_days(-1))
    client.force_login(member)

    page = client.get(_url("followup_report", laureate, report.pk)).content.decode()

    assert '<strong class="text-danger">en retard</strong>' in page
