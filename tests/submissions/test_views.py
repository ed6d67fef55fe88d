"""The dossier through the pages: sections, proposing, coaching, deposit, review."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import CityContract, Commune, Qpv
from submissions.models import Edition, Project, ProjectEvent
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.utils import page


@pytest.fixture
def association(db):
    return AssociationFactory(commune=Commune.objects.get(name="Ivry-sur-Seine"))


@pytest.fixture
def member(association):
    return member_of(association)


@pytest.fixture
def officer(db):
    return UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont"))


def _section_url(project, slug):
    return reverse("submissions:project_section", args=[project.pk, slug])


def _write_whole_dossier(client, project):
    ivry_qpv = Qpv.objects.get(code="QN09407I")
    sections = {
        "presentation": {
            "title": "Jardin partagé Gagarine",
            "summary": "Un jardin cultivé par les habitants.",
            "commune": Commune.objects.get(name="Ivry-sur-Seine").pk,
            "qpvs": [ivry_qpv.pk],
            "themes": ["environnement", "lien_social"],
        },
        "besoin": {"need": "Pas d'espace vert partagé."},
        "innovation": {"innovation": "Gestion par les enfants du quartier."},
        "habitants": {
            "involvement": "Comité d'habitants.",
            "target_public": "Familles",
            "expected_people": "80",
        },
        "partenaires": {"partners": "Bailleur social"},
        "calendrier": {"calendar": "Printemps 2027"},
    }
    for slug, data in sections.items():
        project.refresh_from_db()
        response = client.post(_section_url(project, slug), {**data, "version": project.version})
        assert response.status_code == 302, page(response)
    project.refresh_from_db()
    budget = {
        "version": project.version,
        "amount_requested": "2500",
        "lignes-TOTAL_FORMS": "4",
        "lignes-INITIAL_FORMS": "0",
        "lignes-MIN_NUM_FORMS": "0",
        "lignes-MAX_NUM_FORMS": "60",
        "lignes-0-account": "60",
        "lignes-0-label": "Graines et outils",
        "lignes-0-amount": "1000",
        "lignes-1-account": "64",
        "lignes-1-label": "Animation",
        "lignes-1-amount": "2 000,00",
        "lignes-2-account": "74",
        "lignes-2-funder": "ept",
        "lignes-2-label": "Label Actions Innovantes",
        "lignes-2-amount": "2500",
        "lignes-3-account": "70",
        "lignes-3-label": "Participation",
        "lignes-3-amount": "500",
    }
    response = client.post(_section_url(project, "budget"), budget)
    assert response.status_code == 302, page(response)


def _ready_project(client, member, association, *, need=None):
    """A whole dossier written through the pages, marked ready, with an open edition."""
    Edition.objects.create(
        year=2027,
        title="Édition 2027",
        opens_on=datetime.date(2026, 9, 1),
        deposit_deadline=timezone.now() + datetime.timedelta(days=30),
        state="open",
    )
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    _write_whole_dossier(client, project)
    if need is not None:
        project.refresh_from_db()
        client.post(_section_url(project, "besoin"), {"need": need, "version": project.version})
    # The moves up to "ready" have their own tests; here the deposit matters.
    Project.objects.filter(pk=project.pk).update(
        state="ready", city_contract=CityContract.objects.get(slug="seine-amont")
    )
    return project


def test_member_writes_proposes_and_the_officer_coaches(
    client, member, association, officer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    response = client.post(
        reverse("submissions:project_create"),
        {"title": "Jardin", "association": association.pk},
    )
    project = Project.objects.get()
    assert response.url == _section_url(project, "presentation")
    _write_whole_dossier(client, project)

    detail = page(client.get(project.get_absolute_url()))
    assert "Proposer au chef de projet" in detail
    assert "à compléter" not in detail

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submissions:project_transition", args=[project.pk, "propose"]))
    project.refresh_from_db()
    assert project.state == "proposed"
    assert project.city_contract.slug == "seine-amont"
    assert mailoutbox[-1].to == [officer.email]

    client.force_login(officer)
    inbox = page(client.get(reverse("submissions:inbox") + "?waiting=on"))
    assert "Jardin partagé Gagarine" in inbox
    for name in ["take_into_coaching", "mark_ready"]:
        client.post(reverse("submissions:project_transition", args=[project.pk, name]))
    project.refresh_from_db()
    assert project.state == "ready"
    assert list(project.events.values_list("transition", flat=True)) == [
        "propose",
        "take_into_coaching",
        "mark_ready",
    ]


def test_member_deposits_into_the_open_edition_once(client, member, association, officer):
    project = _ready_project(client, member, association)
    url = reverse("submissions:project_transition", args=[project.pk, "deposit"])

    client.post(url)
    response = client.post(url, follow=True)

    project.refresh_from_db()
    assert project.state == "deposited"
    assert project.snapshot.data["amount_requested"] == "2500.00"
    assert ProjectEvent.objects.filter(project=project, transition="deposit").count() == 1
    assert "Impossible : le projet est « Déposé »" in page(response)
    edit = client.get(_section_url(project, "besoin"))
    assert edit.status_code == 404


def test_stale_section_save_keeps_what_was_typed(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    old_version = project.version
    client.post(_section_url(project, "besoin"), {"need": "Premier", "version": old_version})

    response = client.post(
        _section_url(project, "besoin"), {"need": "Second texte", "version": old_version}
    )

    text = page(response)
    assert response.status_code == 400
    assert "modifié par quelqu'un d'autre" in text
    assert "Second texte" in text
    project.refresh_from_db()
    assert project.need == "Premier"
    # The form now carries the current version: saving again goes through.
    resent = response.context["form"].data.copy()
    again = client.post(_section_url(project, "besoin"), resent)
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.need == "Second texte"


def _hour(moment) -> str:
    """« 14 h 32 », as the portal writes a time."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}"


def test_stale_section_save_shows_their_version_beside_what_was_typed(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    served = project.version
    marie = member_of(association, first_name="Marie", last_name="Dupont")
    other = Client()
    other.force_login(marie)
    other.post(
        _section_url(project, "habitants"),
        {
            "involvement": "Un comité d'habitants décide.",
            "target_public": "Familles",
            "expected_people": "80",
            "version": served,
        },
    )
    project.refresh_from_db()

    response = client.post(
        _section_url(project, "habitants"),
        {
            "involvement": "Les enfants animent le jardin.",
            "target_public": "Familles",
            "expected_people": "120",
            "version": served,
        },
    )

    text = page(response)
    assert response.status_code == 400
    saved_by = f"Enregistré par Marie D. à {_hour(project.updated_at)} :"
    assert text.count(saved_by) == 2  # the two fields that differ, not "Familles"
    assert f"{saved_by}</strong> Un comité d'habitants décide." in text
    assert "<strong>Votre saisie :</strong> Les enfants animent le jardin." in text
    assert f"{saved_by}</strong> 80</p>" in text
    assert "<strong>Votre saisie :</strong> 120</p>" in text
    assert "Remplacer par ma saisie" in text
    assert f'href="{_section_url(project, "habitants")}">Garder leur version</a>' in text
    assert "Enregistrer et continuer" not in text
    project.refresh_from_db()
    assert (project.involvement, project.expected_people) == ("Un comité d'habitants décide.", 80)

    # « Remplacer par ma saisie » sends what was typed with the fresh version.
    replaced = client.post(
        _section_url(project, "habitants"),
        {**response.context["form"].data.dict(), "remplacer": "1"},
    )
    assert replaced.status_code == 302
    project.refresh_from_db()
    assert (project.involvement, project.expected_people) == ("Les enfants animent le jardin.", 120)


def test_stale_budget_save_compares_the_lines(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    served = project.version
    marie = member_of(association, first_name="Marie", last_name="Dupont")
    other = Client()
    other.force_login(marie)
    management = {"lignes-TOTAL_FORMS": "1", "lignes-INITIAL_FORMS": "0"}
    line = {"lignes-0-account": "60", "lignes-0-label": "Graines", "lignes-0-amount": "300"}
    other.post(
        _section_url(project, "budget"),
        {**management, **line, "amount_requested": "", "version": served},
    )
    project.refresh_from_db()

    response = client.post(
        _section_url(project, "budget"),
        {**management, **line, "lignes-0-amount": "450", "amount_requested": "", "version": served},
    )

    text = page(response)
    assert response.status_code == 400
    assert "<dt>Lignes du budget</dt>" in text
    assert (
        f"Enregistré par Marie D. à {_hour(project.updated_at)} :</strong> 60 — Graines : 300,00"
        in text
    )
    assert "<strong>Votre saisie :</strong> 60 — Graines : 450,00" in text
    assert "Montant demandé" not in text.split("stale-titre")[1].split("</section>")[0]


def test_budget_refuses_a_request_above_the_charges(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()

    response = client.post(
        _section_url(project, "budget"),
        {
            "version": project.version,
            "amount_requested": "5000",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-MIN_NUM_FORMS": "0",
            "lignes-MAX_NUM_FORMS": "60",
            "lignes-0-account": "60",
            "lignes-0-label": "Achats",
            "lignes-0-amount": "1000",
        },
    )

    assert response.status_code == 400
    assert "dépasse le total des charges" in page(response)
    project.refresh_from_db()
    assert project.amount_requested is None
    assert project.budget_lines.count() == 0


def test_posting_state_or_association_in_a_section_is_ignored(client, member, association):
    other = AssociationFactory()
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()

    client.post(
        _section_url(project, "besoin"),
        {
            "need": "Un besoin",
            "version": project.version,
            "state": "laureate",
            "association": other.pk,
            "edition": "1",
        },
    )

    project.refresh_from_db()
    assert (project.need, project.state, project.association) == ("Un besoin", "draft", association)


def test_script_in_a_field_is_shown_as_text(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"),
        {"title": "<script>alert(1)</script>", "association": association.pk},
    )
    project = Project.objects.get()

    html = client.get(project.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_amount_shown_on_project_page(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(amount_requested=Decimal("1234.50"))

    assert "1\u00a0234,50 €" in page(client.get(project.get_absolute_url()))


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def draft(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    return Project.objects.get()


def test_member_attaches_a_pdf_and_downloads_it_as_attachment(client, draft, settings):
    url = reverse("submissions:attachments", args=[draft.pk])

    response = client.post(url, {"kind": "statuts", "file": _upload("statuts.pdf", PDF_BYTES)})

    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.original_name == "statuts.pdf"
    assert not attachment.file.name.endswith("statuts.pdf")
    private_root = settings.STORAGES["private"]["OPTIONS"]["location"]
    assert attachment.file.path.startswith(private_root)
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    download = client.get(attachment.get_absolute_url())
    assert download["Content-Disposition"] == 'attachment; filename="statuts.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_disguised_file_is_refused_with_its_reason_and_the_form_kept(client, draft):
    url = reverse("submissions:attachments", args=[draft.pk])

    response = client.post(
        url, {"kind": "budget", "file": _upload("budget.pdf", b"MZ\x90\x00 not a pdf")}
    )

    assert response.status_code == 400
    text = page(response)
    assert "Le contenu de « budget.pdf » ne correspond pas à un fichier PDF" in text
    assert '<option value="budget" selected>' in response.content.decode()
    assert draft.attachments.count() == 0


def test_a_wrong_extension_is_refused_naming_the_accepted_types(client, draft):
    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("script.exe", b"MZ\x90\x00")},
    )

    assert "n'est pas d'un type accepté. Types acceptés : PDF" in page(response)


def test_a_file_over_ten_megabytes_is_refused_with_its_size(client, draft):
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("gros.pdf", big)},
    )

    assert "« gros.pdf » dépasse 10 Mo, la taille maximale d'un fichier" in page(response)


def test_another_association_cannot_reach_the_attachment(client, draft):
    client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "statuts", "file": _upload("statuts.pdf", PDF_BYTES)},
    )
    attachment = draft.attachments.get()
    client.force_login(member_of(AssociationFactory()))

    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_deposit_pdf_is_rebuilt_when_missing_and_shows_the_hash(client, member, association):
    import io

    from pypdf import PdfReader

    from submissions.models import DepositSnapshot

    project = _ready_project(client, member, association)
    client.post(reverse("submissions:project_transition", args=[project.pk, "deposit"]))
    DepositSnapshot.objects.update(pdf="")

    response = client.get(reverse("submissions:deposit_pdf", args=[project.pk]))

    content = b"".join(response.streaming_content)
    snapshot = DepositSnapshot.objects.get()
    assert response["Content-Type"] == "application/pdf"
    assert snapshot.pdf
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert len(pages) >= 2
    for text in pages:  # the foot of every page carries the edition, time and hash
        flat = "".join(text.split())
        assert snapshot.content_hash in flat
        assert "LabelActionsInnovantes2027—déposéle" in flat
    assert "Jardin partagé Gagarine" in " ".join(pages)


def test_a_double_click_on_create_makes_one_project(client, member, association):
    client.force_login(member)
    data = {
        "title": "Jardin",
        "association": association.pk,
        "submission_key": "0b7a3f5e-4d1c-4b8e-9a60-2f1f0f3a9c11",
    }

    first = client.post(reverse("submissions:project_create"), data)
    second = client.post(reverse("submissions:project_create"), data)

    project = Project.objects.get()
    assert first.url == second.url == _section_url(project, "presentation")


def test_a_message_sent_twice_is_posted_once(client, member, association, officer):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(
        state="proposed", city_contract=CityContract.objects.get(slug="seine-amont")
    )
    data = {"body": "Bonjour !", "submission_key": "5d1c2e0a-7f7e-4a43-8f59-0c6f2b1d7e22"}

    client.post(reverse("submissions:message_create", args=[project.pk]), data)
    client.post(reverse("submissions:message_create", args=[project.pk]), data)

    assert list(project.messages.values_list("body", flat=True)) == ["Bonjour !"]


def _edition_data(**overrides):
    data = {
        "year": "2028",
        "title": "Label 2028",
        "opens_on": "2027-09-01",
        "deposit_deadline": "2028-06-05T18:00",
        "jury_starts_on": "",
        "jury_ends_on": "",
        "results_on": "",
        "budget_envelope": "50000",
        "state": "open",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_an_edition_with_a_paris_deadline(client, db):
    client.force_login(UserFactory(coordinator=True))

    response = client.post(reverse("submissions:edition_create"), _edition_data())

    assert response.url == reverse("submissions:edition_list")
    edition = Edition.objects.get(year=2028)
    assert timezone.localtime(edition.deposit_deadline).strftime("%H:%M %Z") == "18:00 CEST"
    assert "Label 2028" in page(client.get(reverse("submissions:edition_list")))


def test_a_second_open_edition_is_refused_with_a_french_message(client, db):
    client.force_login(UserFactory(coordinator=True))
    client.post(reverse("submissions:edition_create"), _edition_data())

    response = client.post(
        reverse("submissions:edition_create"), _edition_data(year="2029", title="Label 2029")
    )

    assert response.status_code == 400
    assert "Une autre édition est déjà ouverte au dépôt." in page(response)
    assert 'value="Label 2029"' in response.content.decode()
    assert Edition.objects.filter(state="open").count() == 1


def test_a_failing_pdf_never_undoes_the_deposit(
    client, member, association, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from submissions import deposit

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint is down")

    monkeypatch.setattr(deposit, "render_pdf", broken)
    project = _ready_project(client, member, association)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submissions:project_transition", args=[project.pk, "deposit"]))

    project.refresh_from_db()
    assert project.state == "deposited"
    (receipt,) = [m for m in mailoutbox if "Accusé de dépôt" in m.subject]
    assert receipt.attachments == []
    assert "vous pouvez le télécharger sur la page du projet" in receipt.body


def test_script_typed_in_the_dossier_is_printed_as_text_in_the_pdf(client, member, association):
    import io

    from pypdf import PdfReader

    from submissions.deposit import deposit_pdf_bytes
    from submissions.models import DepositSnapshot

    project = _ready_project(
        client,
        member,
        association,
        need="<script>alert('x')</script><img src='file:///etc/passwd'>",
    )
    client.post(reverse("submissions:project_transition", args=[project.pk, "deposit"]))

    content = deposit_pdf_bytes(DepositSnapshot.objects.get())

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "<script>alert('x')</script>" in text
    assert "file:///etc/passwd" in text


def test_a_too_long_message_comes_back_with_its_text(client, member, association):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(
        state="proposed", city_contract=CityContract.objects.get(slug="seine-amont")
    )
    body = "Bonjour " + "x" * 5000

    response = client.post(reverse("submissions:message_create", args=[project.pk]), {"body": body})

    text = page(response)
    assert response.status_code == 400
    assert "au plus 5000 caractères" in text
    assert body in text
    assert project.messages.count() == 0
