"""The dossier through the pages: sections, proposing, coaching, deposit, review."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import CityContract, Commune, Qpv
from core.models import Event
from submissions.enums import EditionState
from submissions.models import Edition, Project
from submissions.workflows import PROJECT
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.submissions.factories import EditionFactory, ProjectFactory
from tests.utils import page, sign_in

TRANSITIONS = {t.name: t for t in PROJECT.transitions}
INTERNAL_TRANSITIONS = {t.name for t in PROJECT.transitions if t.internal}


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
    assert list(Event.objects.for_object(project).values_list("action", flat=True)) == [
        "propose",
        "take_into_coaching",
        "mark_ready",
    ]


def test_member_deposits_into_the_open_edition_once(client, member, association, officer):
    project = _ready_project(client, member, association)
    url = reverse("submissions:project_transition", args=[project.pk, "deposit"])

    client.post(url, {"confirmed": "1"})
    response = client.post(url, {"confirmed": "1"}, follow=True)

    project.refresh_from_db()
    assert project.state == "deposited"
    assert project.snapshot.data["amount_requested"] == "2500.00"
    assert Event.objects.for_object(project).filter(action="deposit").count() == 1
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
    client.post(
        reverse("submissions:project_transition", args=[project.pk, "deposit"]),
        {"confirmed": "1"},
    )
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


def _edition_action(edition, name):
    return reverse("submissions:edition_transition", args=[edition.pk, name])


def test_an_edition_is_created_in_preparation_and_opened_by_its_button(client, db):
    coordinator = UserFactory(coordinator=True)
    client.force_login(coordinator)
    client.post(reverse("submissions:edition_create"), _edition_data())
    edition = Edition.objects.get(year=2028)
    listing = page(client.get(reverse("submissions:edition_list")))
    assert edition.state == EditionState.PREPARING
    assert "Ouvrir les dépôts" in listing

    response = client.post(_edition_action(edition, "open"), follow=True)

    edition.refresh_from_db()
    assert edition.state == EditionState.OPEN
    assert "Édition ouverte au dépôt." in page(response)
    assert "Clore les dépôts" in page(response)
    event = Event.objects.for_object(edition).get()
    assert (event.workflow, event.action, event.actor) == ("edition", "open", coordinator)


def test_a_second_open_edition_is_refused_with_a_french_message(client, db):
    client.force_login(UserFactory(coordinator=True))
    EditionFactory(open=True, year=2028, title="Label 2028")
    other = EditionFactory(year=2029, title="Label 2029")

    response = client.post(_edition_action(other, "open"), follow=True)

    assert "Une autre édition est déjà ouverte au dépôt : Label 2028." in page(response)
    assert Edition.objects.filter(state=EditionState.OPEN).count() == 1
    assert not Event.objects.for_object(other).exists()


def test_closing_an_edition_is_confirmed_first_then_recorded(client, db):
    client.force_login(UserFactory(coordinator=True))
    edition = EditionFactory(open=True, title="Label 2028")
    url = _edition_action(edition, "close")

    shown = client.get(url)
    edition.refresh_from_db()
    assert edition.state == EditionState.OPEN
    assert "<h1>Clore les dépôts « Label 2028 » ?</h1>" in page(shown)
    assert "ne pourront plus déposer" in page(shown)

    done = client.post(url, {"confirmed": "1"}, follow=True)

    edition.refresh_from_db()
    assert edition.state == EditionState.CLOSED
    assert "Dépôts clos." in page(done)
    assert list(Event.objects.for_object(edition).values_list("from_state", "to_state")) == [
        (EditionState.OPEN, EditionState.CLOSED)
    ]


def test_reopening_an_edition_asks_the_reason_and_refuses_after_the_deadline(client, db):
    client.force_login(UserFactory(coordinator=True))
    edition = EditionFactory(closed=True)
    url = _edition_action(edition, "reopen")

    without_reason = client.post(url, {"confirmed": "1", "comment": " "})
    assert without_reason.status_code == 400
    assert "Indiquez le motif." in page(without_reason)

    client.post(url, {"confirmed": "1", "comment": "Grève des transports."})
    edition.refresh_from_db()
    assert edition.state == EditionState.OPEN
    assert Event.objects.for_object(edition).get().reason == "Grève des transports."

    late = EditionFactory(
        closed=True,
        year=2001,
        deposit_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    client.post(_edition_action(edition, "close"), {"confirmed": "1"})
    refused = client.post(
        _edition_action(late, "reopen"), {"confirmed": "1", "comment": "Un motif."}, follow=True
    )
    late.refresh_from_db()
    assert late.state == EditionState.CLOSED
    assert "La date limite de dépôt de l'édition 2001 est passée" in page(refused)


def test_the_edition_form_has_no_state_field(client, db):
    client.force_login(UserFactory(coordinator=True))

    form = page(client.get(reverse("submissions:edition_create")))

    assert 'name="state"' not in form


def test_a_failing_pdf_never_undoes_the_deposit(
    client, member, association, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from submissions import deposit

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint is down")

    monkeypatch.setattr(deposit, "render_pdf", broken)
    project = _ready_project(client, member, association)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("submissions:project_transition", args=[project.pk, "deposit"]),
            {"confirmed": "1"},
        )

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
    client.post(
        reverse("submissions:project_transition", args=[project.pk, "deposit"]),
        {"confirmed": "1"},
    )

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


# --- Proposing needs little; being ready needs the whole dossier ------------------------


def read(response) -> str:
    """The page's text as read, tags left out and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split()).replace(" .", ".")


def _detail(client, project):
    return read(client.get(project.get_absolute_url()))


def _transition_url(project, name):
    return reverse("submissions:project_transition", args=[project.pk, name])


def test_a_draft_with_a_title_a_commune_and_a_summary_is_proposed(
    client, member, association, officer
):
    client.force_login(member)
    client.post(
        reverse("submissions:project_create"), {"title": "Jardin", "association": association.pk}
    )
    project = Project.objects.get()
    assert project.commune == association.commune
    assert "Pour proposer, il manque : un court résumé." in _detail(client, project)

    response = client.post(
        _section_url(project, "presentation"),
        {
            "title": "Jardin partagé",
            "summary": "Un jardin cultivé par les habitants.",
            "commune": association.commune.pk,
            "version": project.version,
        },
    )
    assert response.status_code == 302
    detail = _detail(client, project)
    assert "il suffit d'un titre, de la commune et d'un court résumé" in detail
    assert "Tout est là : vous pouvez proposer le projet." in detail

    response = client.post(_transition_url(project, "propose"), follow=True)

    project.refresh_from_db()
    assert project.state == "proposed"
    assert "Succès : Projet proposé à votre chef de projet. Il va prendre contact avec vous." in (
        read(response)
    )


def test_a_coached_project_page_says_what_is_missing_to_be_ready(client, officer, association):
    project = ProjectFactory(association=association, coaching=True, complete=True, need="")
    client.force_login(officer)

    detail = _detail(client, project)
    response = client.post(_transition_url(project, "mark_ready"), follow=True)

    assert (
        "toutes les parties obligatoires du dossier doivent être complètes et le budget équilibré"
        in detail
    )
    assert "Il reste à compléter : Le besoin." in detail
    assert (
        "Erreur : Le dossier n'est pas encore complet : Le besoin. L'association doit d'abord "
        "compléter ces parties (budget équilibré compris)." in read(response)
    )
    project.refresh_from_db()
    assert project.state == "coaching"


# --- Each transition says what it did, in a sentence -------------------------------------


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


SUCCESS_MESSAGES = [
    ("propose", "draft", "member", {}, "Projet proposé à votre chef de projet."),
    ("take_into_coaching", "proposed", "officer", {}, "Projet pris en accompagnement."),
    ("mark_ready", "coaching", "officer", {}, "Projet marqué prêt au dépôt."),
    (
        "send_back",
        "ready",
        "officer",
        {"comment": "Il manque un devis."},
        "Projet renvoyé en accompagnement.",
    ),
    (
        "deposit",
        "ready",
        "member",
        {"confirmed": "1"},
        "Dossier déposé. Vous allez recevoir l'accusé de dépôt par mail.",
    ),
    (
        "withdraw",
        "coaching",
        "member",
        {"confirmed": "1"},
        "Projet retiré. Votre chef de projet en est informé par mail.",
    ),
    ("declare_eligible", "deposited", "coordinator", {}, "Projet déclaré recevable."),
    (
        "declare_ineligible",
        "eligible",
        "coordinator",
        {"confirmed": "1", "comment": "Hors territoire."},
        "Projet déclaré irrecevable. L'association reçoit le motif par mail.",
    ),
    ("shortlist", "eligible", "coordinator", {}, "Projet retenu pour l'audition devant le jury."),
]


def test_success_messages_cover_every_transition_made_on_the_project_page():
    assert {case[0] for case in SUCCESS_MESSAGES} == set(TRANSITIONS) - INTERNAL_TRANSITIONS


@pytest.mark.parametrize(("name", "trait", "who", "data", "message"), SUCCESS_MESSAGES)
def test_each_transition_shows_its_own_success_sentence(
    client, association, member, officer, coordinator, name, trait, who, data, message
):
    EditionFactory(open=True)
    project = ProjectFactory(association=association, complete=True, **{trait: True})
    client.force_login({"member": member, "officer": officer, "coordinator": coordinator}[who])

    response = client.post(_transition_url(project, name), data, follow=True)

    text = read(response)
    assert f"Succès : {message}" in text
    assert "C'est fait" not in text
    project.refresh_from_db()
    assert project.state == TRANSITIONS[name].target


# --- Final actions: a link to a page that says what will happen ----------------------------

CONFIRMED_ACTIONS = [
    (
        "deposit",
        "ready",
        "member",
        "Déposer le dossier",
        "Le dossier sera déposé dans l'édition ouverte. Ensuite, il ne pourra plus être modifié",
    ),
    (
        "withdraw",
        "deposited",
        "member",
        "Retirer le projet",
        "Le projet sera retiré : il ne sera plus accompagné ni examiné par le jury.",
    ),
    (
        "declare_ineligible",
        "deposited",
        "coordinator",
        "Déclarer irrecevable",
        "L'association recevra par mail le motif que vous indiquez.",
    ),
]


def test_the_transition_table_names_the_final_actions_that_ask_for_confirmation():
    assert {name for name, t in TRANSITIONS.items() if t.confirm} == {
        case[0] for case in CONFIRMED_ACTIONS
    }


@pytest.mark.parametrize(("name", "trait", "who", "label", "consequence"), CONFIRMED_ACTIONS)
def test_a_final_action_is_a_link_to_its_confirmation_page_which_changes_nothing(
    client, association, member, coordinator, name, trait, who, label, consequence
):
    EditionFactory(open=True)
    project = ProjectFactory(
        association=association, complete=True, title="Jardin partagé", **{trait: True}
    )
    client.force_login({"member": member, "coordinator": coordinator}[who])
    url = _transition_url(project, name)

    detail = client.get(project.get_absolute_url()).content.decode()
    shown = client.get(url)
    posted_without_confirmation = client.post(url, {"comment": "Un motif."})

    assert f'href="{url}">{label}</a>' in detail
    assert f'action="{url}"' not in detail
    for response in (shown, posted_without_confirmation):
        text = page(response)
        assert response.status_code == 200
        assert f"<h1>{label} « Jardin partagé » ?</h1>" in text
        assert consequence in text
        assert f'<form method="post" action="{url}" novalidate>' in text
        assert '<input type="hidden" name="confirmed" value="1">' in text
        assert f'<a class="btn btn-link" href="{project.get_absolute_url()}">' in text
    project.refresh_from_db()
    assert project.state == trait
    assert Event.objects.for_object(project).count() == 0


def test_declaring_ineligible_asks_the_reason_on_the_confirmation_page(
    client, association, member, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    project = ProjectFactory(association=association, complete=True, deposited=True)
    client.force_login(coordinator)
    url = _transition_url(project, "declare_ineligible")

    shown = page(client.get(url))
    without_reason = client.post(url, {"confirmed": "1", "comment": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirmed": "1", "comment": "Hors territoire."}, follow=True)

    assert '<label class="form-label fw-semibold" for="id_comment">Motif *</label>' in shown
    assert without_reason.status_code == 400
    assert "Erreur : Indiquez le motif." in read(without_reason)
    assert "Succès : Projet déclaré irrecevable." in read(done)
    project.refresh_from_db()
    assert project.state == "ineligible"
    assert project.review_comment == "Hors territoire."
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert "Hors territoire." in mail.body


def test_a_confirmation_page_is_not_shown_for_a_move_the_person_may_not_make(
    client, association, officer
):
    project = ProjectFactory(association=association, complete=True, coaching=True)
    client.force_login(officer)

    response = client.get(_transition_url(project, "withdraw"), follow=True)

    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    assert "Erreur : Vous ne pouvez pas faire cette action." in read(response)
    project.refresh_from_db()
    assert project.state == "coaching"


def test_a_move_without_confirmation_is_never_made_by_a_get(client, association, officer):
    project = ProjectFactory(association=association, complete=True, coaching=True)
    client.force_login(officer)

    response = client.get(_transition_url(project, "mark_ready"))

    assert response.status_code == 405
    project.refresh_from_db()
    assert project.state == "coaching"


def test_deleting_a_draft_asks_for_confirmation_first(client, member, association):
    project = ProjectFactory(association=association, title="Jardin partagé")
    client.force_login(member)
    url = reverse("submissions:project_delete", args=[project.pk])

    detail = client.get(project.get_absolute_url()).content.decode()
    shown = client.get(url)
    posted_without_confirmation = client.post(url)

    assert f'href="{url}">Supprimer ce brouillon</a>' in detail
    for response in (shown, posted_without_confirmation):
        text = page(response)
        assert response.status_code == 200
        assert "<h1>Supprimer le brouillon « Jardin partagé » ?</h1>" in text
        assert "Cette suppression est définitive." in text
        assert '<button type="submit" class="btn btn-danger">Supprimer le brouillon</button>' in (
            text
        )
    assert Project.objects.filter(pk=project.pk).exists()

    done = client.post(url, {"confirmed": "1"}, follow=True)

    assert done.redirect_chain == [(reverse("submissions:project_list"), 302)]
    assert "Succès : Le brouillon « Jardin partagé » est supprimé." in read(done)
    assert not Project.objects.filter(pk=project.pk).exists()


# --- Eligibility is a state ---------------------------------------------------------------


def test_declaring_eligible_shows_recevable_in_the_page_history_and_inbox(
    client, association, coordinator
):
    project = ProjectFactory(association=association, complete=True, deposited=True)
    client.force_login(coordinator)

    detail = page(client.post(_transition_url(project, "declare_eligible"), follow=True))
    inbox = page(client.get(reverse("submissions:inbox")))
    waiting = client.get(reverse("submissions:inbox") + "?waiting=on")
    dashboard = page(client.get(reverse("dashboard")))

    assert re.search(r'État : <span class="[^"]*state-eligible">Recevable</span>', detail)
    assert re.search(r"Déposé → <strong>Recevable</strong>", detail)
    assert "Déclarer recevable</" not in detail
    assert "Retenir pour l&#x27;audition" in client.get(project.get_absolute_url()).content.decode()
    assert '<a href="?state=eligible">Recevable : 1</a>' in inbox
    assert [p.pk for p in waiting.context["inbox"].page_obj.object_list] == [project.pk]
    assert "Dossiers recevables à retenir ou non pour l'audition (1)" in dashboard


# --- The quartiers follow the commune ------------------------------------------------------


def test_the_quartiers_are_grouped_by_commune(client, draft):
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    vitry = Commune.objects.get(name="Vitry-sur-Seine")

    html = client.get(_section_url(draft, "presentation")).content.decode()

    assert '<script src="/static/js/qpv-commune.js" defer></script>' in html
    for commune in (ivry, vitry):
        assert (
            f'<fieldset class="mb-2" data-commune="{commune.pk}">\n'
            f'      <legend class="fs-6 fw-semibold mb-1">{commune.name}</legend>'
        ) in html
    assert html.count('<fieldset class="mb-2" data-commune=') == (
        Commune.objects.filter(qpvs__isnull=False).distinct().count()
    )


def test_a_quartier_outside_the_chosen_commune_is_refused_and_the_form_kept(client, draft):
    colonel_fabien = Qpv.objects.get(code="QN09410M")  # Vitry-sur-Seine

    response = client.post(
        _section_url(draft, "presentation"),
        {
            "title": "Jardin partagé",
            "summary": "Un jardin cultivé par les habitants.",
            "commune": Commune.objects.get(name="Ivry-sur-Seine").pk,
            "qpvs": [colonel_fabien.pk],
            "version": draft.version,
        },
    )

    text = page(response)
    assert response.status_code == 400
    assert (
        "Erreur : Le quartier « Colonel Fabien » n'est pas dans la commune choisie, "
        "Ivry-sur-Seine. Cochez seulement des quartiers de cette commune."
    ) in text
    assert "Un jardin cultivé par les habitants." in text
    assert re.search(
        rf'value="{colonel_fabien.pk}" id="[^"]+" class="form-check-input" checked', text
    )
    draft.refresh_from_db()
    assert (draft.title, draft.summary, draft.version) == ("X", "", 1)
    assert list(draft.qpvs.all()) == []


def test_a_confirmed_move_without_a_reason_by_someone_who_may_not_make_it_is_refused(
    client, association, officer
):
    project = ProjectFactory(association=association, complete=True, deposited=True)
    client.force_login(officer)

    response = client.post(
        _transition_url(project, "declare_ineligible"), {"confirmed": "1"}, follow=True
    )

    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    assert "Erreur : Vous ne pouvez pas faire cette action." in read(response)
    assert "Indiquez le motif" not in read(response)
    project.refresh_from_db()
    assert project.state == "deposited"


# --- The inbox's list, kept per viewer ---------------------------------------------------------


def _inbox_row(client, project, query="") -> str:
    """The project's row in the person's inbox ("" when it is not listed)."""
    html = page(client.get(reverse("submissions:inbox") + query))
    found = re.search(
        rf'<tr>\s*<th scope="row"><a href="{project.get_absolute_url()}">.*?</tr>', html, re.S
    )
    return found.group(0) if found else ""


def _browser(user) -> Client:
    """A signed-in browser with a CSRF cookie, as the inbox's cached list needs one."""
    return sign_in(Client(), user)


def test_the_inbox_shows_a_new_message_a_reading_and_a_move_at_once(member, association, officer):
    project = ProjectFactory(association=association, proposed=True, title="Jardin partagé")
    coach, author = _browser(officer), _browser(member)
    before = _inbox_row(coach, project)
    assert _inbox_row(coach, project) == before  # the list now comes from the cache

    author.post(reverse("submissions:message_create", args=[project.pk]), {"body": "Bonjour !"})
    unread = _inbox_row(coach, project)
    coach.get(project.get_absolute_url())  # the coach reads the thread
    read = _inbox_row(coach, project)
    coach.post(reverse("submissions:project_transition", args=[project.pk, "take_into_coaching"]))
    moved = _inbox_row(coach, project)
    association.name = "Les Jardiniers d'Ivry"
    association.save()
    renamed = _inbox_row(coach, project)

    assert "Proposé" in before and "Non lus" not in before
    assert "<strong>Non lus</strong>" in unread
    assert "Non lus" not in read
    assert "En accompagnement" in moved and "Proposé" not in moved
    assert "Les Jardiniers d'Ivry" in renamed


def test_the_inbox_lists_each_coach_their_own_projects_in_the_same_browser(association, officer):
    orly = Commune.objects.filter(city_contract__slug="orly").first()
    here = ProjectFactory(association=association, proposed=True, title="Jardin d'Ivry")
    there = ProjectFactory(
        association=AssociationFactory(commune=orly), commune=orly, proposed=True, title="Orly"
    )
    other_officer = UserFactory(officer_contract=CityContract.objects.get(slug="orly"))
    coordinator = UserFactory(coordinator=True)
    # One browser (one CSRF cookie) for the three, one after the other.
    seen = {}
    for person in (officer, other_officer, coordinator, officer):
        browser = _browser(person)
        seen[person] = (bool(_inbox_row(browser, here)), bool(_inbox_row(browser, there)))

    assert seen == {
        officer: (True, False),
        other_officer: (False, True),
        coordinator: (True, True),
    }


def test_the_inbox_follows_the_filters_the_pages_and_a_change_of_territory(association, officer):
    projects = [
        ProjectFactory(association=association, proposed=True, title=f"Projet n° {n:02d}")
        for n in range(21)
    ]
    coaching = ProjectFactory(association=association, coaching=True, title="Suivi")
    coach = _browser(officer)
    _inbox_row(coach, coaching)

    listed = [_inbox_row(coach, project) for project in projects]
    second_page = [_inbox_row(coach, project, "?page=2") for project in projects]
    filtered = (
        _inbox_row(coach, coaching, "?state=coaching"),
        _inbox_row(coach, projects[0], "?state=coaching"),
    )
    officer.officer_contract = CityContract.objects.get(slug="orly")
    officer.save()
    moved = _inbox_row(coach, coaching)

    # 22 projects, 20 a page: each on one page only.
    assert sum(map(bool, listed)) == 20 - 1 and sum(map(bool, second_page)) == 2
    assert all(a or b for a, b in zip(listed, second_page, strict=True))
    assert bool(filtered[0]) and not filtered[1]
    assert moved == ""
