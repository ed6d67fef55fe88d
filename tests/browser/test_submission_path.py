"""A project's path from the first draft to the audition, in a real browser.

Each person has a browser context of their own: the association member, the
chef de projet of the contrat de ville Seine Amont and the coordinator. Every
page visited is checked with axe-core.
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import Commune, Qpv, User
from submissions import services
from submissions.models import Attachment, BudgetLine, DepositSnapshot, Edition, Project
from tests.browser.conftest import (
    NARROW_WIDTH,
    VIEWPORT,
    assert_no_horizontal_scroll,
    axe_check,
    field,
    login,
    viewport_width,
)

pytestmark = pytest.mark.browser

MEMBER = "asso.alpha@demo.test"
CHEF = "chef.seine-amont@demo.test"
COORDINATOR = "coordination@demo.test"

# A small but real PDF: header, catalog, empty page tree, trailer.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

SHARED_NOTE = "Premier rendez-vous : le besoin est clair, le budget tient."
SHARED_NEXT_STEPS = "Joindre les statuts signés."
INTERNAL_NOTE = "Note interne : le bailleur hésite encore pour le local."


# --- Set-up -----------------------------------------------------------------


def open_edition() -> Edition:
    today = timezone.localdate()
    return Edition.objects.create(
        year=today.year + 1,
        title=f"Label Actions Innovantes {today.year + 1}",
        opens_on=today - datetime.timedelta(days=30),
        deposit_deadline=timezone.now() + datetime.timedelta(days=30),
        budget_envelope=Decimal("60000"),
        state="open",
    )


def pdf_file(tmp_path, name="statuts.pdf", content=PDF_BYTES):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def seeded_project(title: str, *, propose: bool) -> Project:
    """A complete dossier written through the services (for the tests that are not the path)."""
    member = User.objects.get(email=MEMBER)
    project = services.project_create(
        association=member.associations.get(), actor=member, title=title
    )
    project.summary = "Des ateliers de cuisine ouverts à tous les habitants du quartier."
    project.commune = Commune.objects.get(name="Ivry-sur-Seine")
    project.themes = ["lien_social"]
    project.need = "Aucun lieu pour cuisiner ensemble."
    project.innovation = "Les recettes viennent des habitants."
    project.involvement = "Un comité d'habitants choisit les ateliers."
    project.target_public = "Familles du quartier"
    project.expected_people = 60
    project.partners = "Centre social"
    project.calendar = "De mars à décembre"
    project.amount_requested = Decimal("1000")
    project.save()
    project.qpvs.set(Qpv.objects.filter(code="QN09408M"))
    BudgetLine.objects.create(
        project=project, side="charge", account="60", label="Denrées", amount=Decimal("1000")
    )
    BudgetLine.objects.create(
        project=project,
        side="income",
        account="74",
        funder="ept",
        label="Label Actions Innovantes",
        amount=Decimal("1000"),
    )
    if propose:
        services.project_transition(project=project, actor=member, name="propose")
    return Project.objects.get(pk=project.pk)


# --- What every person sees ------------------------------------------------


def expect_success(page, text: str) -> None:
    __tracebackhide__ = True
    message = page.locator(".portal-messages").get_by_role("status")
    expect(message).to_contain_text("Succès")
    expect(message).to_contain_text(text)


def expect_state(page, label: str) -> None:
    __tracebackhide__ = True
    expect(page.locator("main p").filter(has_text="État :").locator(".badge")).to_have_text(label)


def progress_row(page, title: str):
    return (
        page.get_by_role("navigation", name="Avancement du dossier")
        .get_by_role("listitem")
        .filter(has_text=re.compile(rf"^\s*\S*\s*{re.escape(title)}\s*—"))
    )


SECTION_TITLES = [
    "Présentation",
    "Le besoin",
    "L'innovation",
    "Les habitants",
    "Les partenaires",
    "Le calendrier",
    "Le budget",
]


def expect_every_section_complete(page) -> None:
    __tracebackhide__ = True
    for title in SECTION_TITLES:
        expect(progress_row(page, title)).to_contain_text(re.compile(r"—\s*complet\s*$"))


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def check_receipt_mail(title: str) -> None:
    __tracebackhide__ = True
    receipts = [m for m in mails_to(MEMBER) if "Accusé de dépôt" in m.subject]
    assert len(receipts) == 1, [m.subject for m in mail.outbox]
    receipt = receipts[0]
    assert title in receipt.subject
    assert "Le dossier déposé est joint à ce message" in receipt.body
    assert len(receipt.attachments) == 1
    filename, content, mimetype = receipt.attachments[0]
    assert filename.endswith(".pdf")
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


# --- 1. The whole path with the mouse --------------------------------------


def test_the_whole_path_with_the_mouse(
    page, new_person_page, live_server, transactional_db, tmp_path
):
    seed_people()
    edition = open_edition()
    title = "Ateliers cuisine du quai"

    # The member starts a project from Mon espace.
    login(page, live_server, MEMBER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe_check(page)
    page.get_by_role("link", name="Mes projets et nouveau projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes projets")
    expect(page.get_by_text("Vous n'avez pas encore de projet.")).to_be_visible()
    axe_check(page)
    field(page, "Titre du projet").fill(title)
    page.get_by_role("button", name="Créer le projet").click()

    # Présentation
    expect(page.get_by_role("heading", level=1)).to_have_text("Présentation")
    expect_success(page, "Projet créé. Remplissez-le partie par partie.")
    expect(progress_row(page, "Présentation")).to_contain_text("à compléter")
    axe_check(page)
    expect(field(page, "Titre du projet")).to_have_value(title)
    field(page, "Résumé").fill("Des ateliers de cuisine ouverts à tous, sur le quai, le samedi.")
    field(page, "Commune du projet").select_option(label="Ivry-sur-Seine")
    # The association's own quartier comes ticked; the member adds another.
    expect(page.get_by_role("checkbox", name="Ivry Port (QN09408M)")).to_be_checked()
    page.get_by_role("checkbox", name="Gagarine (QN09407I)").check()
    page.get_by_role("checkbox", name="Lien social et citoyenneté").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Le besoin, L'innovation, Les habitants, Les partenaires, Le calendrier
    text_sections = [
        ("Le besoin", {"Le besoin dans le quartier": "Aucun lieu pour cuisiner ensemble."}),
        ("L'innovation", {"Ce qui est innovant": "Les recettes viennent des habitants."}),
        (
            "Les habitants",
            {
                "L'implication des habitants": "Un comité d'habitants choisit les ateliers.",
                "Le public visé": "Familles et jeunes du quartier",
                "Nombre de personnes attendues": "60",
            },
        ),
        ("Les partenaires", {"Les partenaires": "Centre social Monmousseau, bailleur"}),
        ("Le calendrier", {"Le calendrier": "Premier atelier en mars, bilan en décembre"}),
    ]
    previous = "Présentation"
    for heading, values in text_sections:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect_success(page, "Enregistré.")
        expect(progress_row(page, previous)).to_contain_text(re.compile(r"—\s*complet\s*$"))
        axe_check(page)
        for label, value in values.items():
            field(page, label).fill(value)
        page.get_by_role("button", name="Enregistrer et continuer").click()
        previous = heading

    # Le budget: one charge, one grant from the EPT, balanced.
    expect(page.get_by_role("heading", level=1)).to_have_text("Le budget")
    expect_success(page, "Enregistré.")
    expect(progress_row(page, "Le budget")).to_contain_text("à compléter")
    axe_check(page)
    expect(page.get_by_role("button", name="Enregistrer et continuer")).to_have_count(0)
    first = page.get_by_role("group", name="Ligne 1", exact=True)
    field(first, "Compte").select_option(label="60 — Achats")
    field(first, "Libellé").fill("Ustensiles et denrées")
    field(first, "Montant (€)").fill("1000")
    second = page.get_by_role("group", name="Ligne 2", exact=True)
    field(second, "Compte").select_option(label="74 — Subventions d'exploitation")
    field(second, "Financeur (compte 74)").select_option(label="EPT Grand-Orly Seine Bièvre")
    field(second, "Libellé").fill("Label Actions Innovantes")
    field(second, "Montant (€)").fill("1000")
    field(page, "Montant demandé au label (€)").fill("1000")
    page.get_by_role("button", name="Enregistrer et revenir au projet").click()

    # The project page, then the attachments.
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect_success(page, "Enregistré.")
    expect_state(page, "Brouillon")
    budget = page.get_by_role("table", name="Budget prévisionnel (forme CERFA 12156)")
    expect(budget).to_contain_text(re.compile(r"Total des charges\s*1\s?000,00\s€"))
    expect(budget).to_contain_text(re.compile(r"Total des produits\s*1\s?000,00\s€"))
    expect(budget).to_contain_text("74 — EPT Grand-Orly Seine Bièvre")
    axe_check(page)
    page.get_by_role("link", name="Pièces jointes (0)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pièces jointes")
    expect(page.get_by_text("Aucune pièce jointe pour l'instant.")).to_be_visible()
    axe_check(page)
    field(page, "Type de pièce").select_option(label="Statuts")
    field(page, "Fichier").set_input_files(pdf_file(tmp_path))
    page.get_by_role("button", name="Ajouter").click()
    expect_success(page, "Pièce jointe ajoutée.")
    attachments = page.get_by_role("table", name="1 pièce jointe")
    expect(attachments.get_by_role("link", name="statuts.pdf")).to_be_visible()
    expect(attachments).to_contain_text("Statuts")
    expect(attachments).to_contain_text("Awa Diallo")
    axe_check(page)
    page.get_by_role("link", name="Retour au projet").click()

    # Every section complete: the member proposes.
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="Pièces jointes (1)")).to_be_visible()
    expect_every_section_complete(page)
    dossier = page.get_by_role("region", name="Le dossier")
    expect(dossier).to_contain_text("Gagarine")
    expect(dossier).to_contain_text("Ivry Port")
    expect(dossier).to_contain_text("Lien social et citoyenneté")
    expect(dossier).to_contain_text("(60 personnes attendues)")
    axe_check(page)
    page.get_by_role("button", name="Proposer au chef de projet").click()
    expect_success(page, "Projet proposé à votre chef de projet. Il va prendre contact avec vous.")
    expect_state(page, "Proposé")
    expect(page.get_by_text("Contrat de ville Seine Amont")).to_be_visible()
    expect(page.get_by_role("button", name="Proposer au chef de projet")).to_have_count(0)
    axe_check(page)
    project = Project.objects.get(title=title)
    assert project.state == "proposed"
    assert project.city_contract.slug == "seine-amont"
    assert any(title in m.subject or title in m.body for m in mails_to(CHEF))

    # The chef de projet, in a browser of their own.
    chef = new_person_page()
    login(chef, live_server, CHEF)
    expect(chef.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe_check(chef)
    chef.get_by_role("link", name="Projets qui m'attendent").click()
    expect(chef.get_by_role("heading", level=1)).to_have_text("Projets de mon territoire")
    expect(field(chef, "Seulement ce qui m'attend")).to_be_checked()
    waiting = chef.get_by_role("table", name=re.compile(r"^Projets, page 1"))
    row = waiting.get_by_role("row").filter(has=chef.get_by_role("link", name=title))
    expect(row).to_contain_text("Association Alpha")
    expect(row).to_contain_text("Ivry-sur-Seine")
    expect(row).to_contain_text("Proposé")
    axe_check(chef)
    waiting.get_by_role("link", name=title).click()

    expect(chef.get_by_role("heading", level=1)).to_have_text(title)
    expect_state(chef, "Proposé")
    expect(chef.get_by_role("link", name="Modifier le dossier")).to_have_count(0)
    axe_check(chef)
    chef.get_by_role("button", name="Prendre en accompagnement").click()
    expect_success(chef, "Projet pris en accompagnement. L'association en est informée par mail.")
    expect_state(chef, "En accompagnement")
    axe_check(chef)

    # A note shared with the association, and an internal one.
    today = timezone.localdate()
    field(chef, "Type").select_option(label="Rendez-vous")
    field(chef, "Date").fill(today.isoformat())
    field(chef, "Compte rendu").fill(SHARED_NOTE)
    field(chef, "Prochaines étapes").fill(SHARED_NEXT_STEPS)
    chef.get_by_role("radio", name="Partagée avec l'association").check()
    chef.get_by_role("button", name="Ajouter la note").click()
    expect_success(chef, "Note ajoutée au suivi.")
    coaching = chef.get_by_role("region", name="Suivi de l'accompagnement")
    expect(coaching.get_by_role("article").filter(has_text=SHARED_NOTE)).to_contain_text(
        "partagée avec l'association"
    )
    axe_check(chef)
    field(chef, "Type").select_option(label="Appel")
    field(chef, "Date").fill(today.isoformat())
    field(chef, "Compte rendu").fill(INTERNAL_NOTE)
    chef.get_by_role("radio", name="Interne (chefs de projet et coordination)").check()
    chef.get_by_role("button", name="Ajouter la note").click()
    expect_success(chef, "Note ajoutée au suivi.")
    expect(coaching.get_by_role("article").filter(has_text=INTERNAL_NOTE)).to_contain_text(
        "note interne"
    )
    axe_check(chef)
    assert any(SHARED_NOTE in m.body for m in mails_to(MEMBER))
    assert not any(INTERNAL_NOTE in m.body for m in mail.outbox)

    # The readiness checklist, then ready for deposit.
    checks = [
        "Le besoin est clair et documenté",
        "Le budget est équilibré et réaliste",
        "Les partenaires ont confirmé leur participation",
        "Les pièces jointes sont complètes",
    ]
    for label in checks:
        field(chef, label).check()
    chef.get_by_role("button", name="Enregistrer la liste").click()
    expect_success(chef, "Liste de vérification enregistrée.")
    for label in checks:
        expect(field(chef, label)).to_be_checked()
    axe_check(chef)
    chef.get_by_role("button", name="Marquer prêt au dépôt").click()
    expect_success(chef, "Projet marqué prêt au dépôt. L'association en est informée par mail.")
    expect_state(chef, "Prêt au dépôt")
    axe_check(chef)

    # The member sees the shared note only, and deposits.
    page.reload()
    expect_state(page, "Prêt au dépôt")
    member_coaching = page.get_by_role("region", name="Suivi de l'accompagnement")
    expect(member_coaching).to_contain_text(SHARED_NOTE)
    expect(member_coaching).to_contain_text(SHARED_NEXT_STEPS)
    expect(member_coaching).not_to_contain_text(INTERNAL_NOTE)
    expect(member_coaching).not_to_contain_text("note interne")
    expect(page.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    expect(page.get_by_text(f"Dépôt dans l'édition {edition.year}")).to_be_visible()
    axe_check(page)
    # The deposit is final: its link leads to a page that says so, then confirms.
    page.get_by_role("link", name="Déposer le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Déposer le dossier « {title} » ?")
    expect(page.get_by_role("note")).to_contain_text("il ne pourra plus être modifié")
    assert Project.objects.get(pk=project.pk).state == "ready"
    axe_check(page)
    page.get_by_role("button", name="Déposer le dossier").click()
    expect_success(page, "Dossier déposé. Vous allez recevoir l'accusé de dépôt par mail.")
    expect_state(page, "Déposé")
    snapshot = DepositSnapshot.objects.get(project=project)
    assert re.fullmatch(r"[0-9a-f]{64}", snapshot.content_hash)
    expect(page.get_by_text(f"Empreinte SHA-256 : {snapshot.content_hash}")).to_be_visible()
    expect(page.get_by_text(re.compile(rf"dans l'édition {edition.year}\."))).to_be_visible()
    expect(page.get_by_role("link", name="Modifier le dossier")).to_have_count(0)
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le dossier déposé (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"dossier-depose-{project.pk}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    check_receipt_mail(title)

    # The coordinator, in a third browser: eligible, then shortlisted.
    coordinator = new_person_page()
    login(coordinator, live_server, COORDINATOR)
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe_check(coordinator)
    coordinator.get_by_role("link", name="Tous les projets", exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Tous les projets")
    axe_check(coordinator)
    coordinator.get_by_role("link", name=title).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(title)
    expect_state(coordinator, "Déposé")
    expect(coordinator.get_by_text(f"Empreinte SHA-256 : {snapshot.content_hash}")).to_be_visible()
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Déclarer recevable").click()
    expect_success(coordinator, "Projet déclaré recevable.")
    expect_state(coordinator, "Recevable")
    expect(coordinator.get_by_role("button", name="Déclarer recevable")).to_have_count(0)
    expect(coordinator.get_by_role("list").filter(has_text="Créé le")).to_contain_text(
        "Déposé → Recevable"
    )
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Retenir pour l'audition").click()
    expect_success(coordinator, "Projet retenu pour l'audition devant le jury.")
    expect_state(coordinator, "Retenu pour audition")
    axe_check(coordinator)

    project.refresh_from_db()
    assert project.state == "shortlisted"
    page.reload()
    expect_state(page, "Retenu pour audition")
    axe_check(page)


# --- 2. The same path with the keyboard alone ------------------------------


def describe_focus(page) -> str:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return 'body';
            return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                + ' « ' + (el.textContent || el.value || '').trim().slice(0, 60) + ' »';
        }"""
    )


def tab_to(page, predicate_js: str, max_tabs: int = 200) -> None:
    """Press Tab until the focused element satisfies ``predicate_js`` (a JS function of it)."""
    __tracebackhide__ = True
    check = f"() => Boolean(({predicate_js})(document.activeElement))"
    for _ in range(max_tabs):
        if page.evaluate(check):
            return
        page.keyboard.press("Tab")
    if page.evaluate(check):
        return
    pytest.fail(
        f"Pas atteint avec {max_tabs} Tab sur {page.url} : {predicate_js} "
        f"(le focus est sur {describe_focus(page)})",
        pytrace=False,
    )


def by_id(element_id: str) -> str:
    return f"el => el.id === {json.dumps(element_id)}"


def link(text: str) -> str:
    return f"el => el.tagName === 'A' && el.textContent.trim() === {json.dumps(text)}"


def button(text: str) -> str:
    return f"el => el.tagName === 'BUTTON' && el.textContent.trim() === {json.dumps(text)}"


def labelled(kind: str, label: str) -> str:
    """An input of this type whose label reads ``label``."""
    return (
        f"el => el.type === {json.dumps(kind)} && el.labels && el.labels.length > 0"
        f" && el.labels[0].textContent.trim() === {json.dumps(label)}"
    )


def activate(page, predicate_js: str, key: str = "Enter") -> None:
    """Tab to a link or button and press ``key``; wait for the page it leads to."""
    tab_to(page, predicate_js)
    with page.expect_navigation():
        page.keyboard.press(key)


def open_file_dialog_with_space(page):
    """Press Space on the focused file input and return the file dialog it opens.

    On a loaded machine Chromium may drop the first press before the input is
    ready for a user gesture: the input must still have the focus, and a
    second press opens the dialog.
    """
    expect(page.locator("input[type=file]:focus")).to_have_count(1)
    try:
        with page.expect_file_chooser(timeout=5_000) as chooser:
            page.keyboard.press("Space")
    except PlaywrightTimeoutError:
        expect(page.locator("input[type=file]:focus")).to_have_count(1)
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
    return chooser.value


def type_into(page, element_id: str, text: str) -> None:
    tab_to(page, by_id(element_id))
    page.keyboard.type(text)


def toggle(page, kind: str, label: str) -> None:
    """Tab to a checkbox and press Space."""
    tab_to(page, labelled(kind, label))
    page.keyboard.press("Space")


def choose_with_arrows(page, element_id: str, option_text: str) -> None:
    """Tab to a select and move its choice with the arrow keys."""
    tab_to(page, by_id(element_id))
    options = page.evaluate("() => Array.from(document.activeElement.options, (o) => o.text)")
    assert option_text in options, options
    target = options.index(option_text)
    for _ in range(len(options)):
        current = page.evaluate("() => document.activeElement.selectedIndex")
        if current == target:
            return
        page.keyboard.press("ArrowDown" if current < target else "ArrowUp")
    pytest.fail(f"« {option_text} » n'a pas pu être choisi avec les flèches dans #{element_id}")


def keyboard_login(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    axe_check(page)
    type_into(page, "id_username", email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    activate(page, button("Se connecter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe_check(page)


def test_the_whole_path_with_the_keyboard_alone(
    page, new_person_page, live_server, transactional_db, tmp_path
):
    """Every step of the path by keyboard alone: Tab, Enter, Space, the arrows and typing.

    No mouse click and no programmatic focus anywhere: each control is reached
    with Tab from the top of the page. Sign-in, every section of the dossier
    (text fields, checkboxes with Space, selects and radio buttons with the
    arrows, the budget lines), the attachment (the file input opened with
    Space; only the choice in the operating system's file dialog is handed to
    Playwright), proposing, coaching, the shared note, the checklist, marking
    ready, the deposit, the PDF download and the coordinator's decisions.
    The only navigations not made by a key press on the page are the address
    typed to open the sign-in page and the member's reload of the project page.
    """
    seed_people()
    open_edition()
    title = "Vélos partagés Colonel Fabien"

    # --- The member writes the dossier.
    keyboard_login(page, live_server, MEMBER)
    activate(page, link("Mes projets et nouveau projet"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes projets")
    axe_check(page)
    type_into(page, "id_title", title)
    activate(page, button("Créer le projet"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Présentation")
    axe_check(page)
    type_into(page, "id_summary", "Un atelier de réparation et de prêt de vélos.")
    choose_with_arrows(page, "id_commune", "Vitry-sur-Seine")
    # Only Vitry's quartiers are offered now: Ivry Port, ticked from the
    # association, is out of reach and will not be sent.
    expect(page.get_by_role("group", name="Ivry-sur-Seine")).to_be_hidden()
    toggle(page, "checkbox", "Colonel Fabien (QN09410M)")
    toggle(page, "checkbox", "Environnement et cadre de vie")
    toggle(page, "checkbox", "Sport")
    expect(field(page, "Commune du projet").locator("option:checked")).to_have_text(
        "Vitry-sur-Seine"
    )
    expect(page.get_by_role("checkbox", name="Colonel Fabien (QN09410M)")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Ivry Port (QN09408M)")).to_be_hidden()
    activate(page, button("Enregistrer et continuer"))

    for heading, values in [
        ("Le besoin", {"id_need": "Pas de vélos abordables dans le quartier."}),
        ("L'innovation", {"id_innovation": "Les jeunes réparent et prêtent."}),
        (
            "Les habitants",
            {
                "id_involvement": "Les jeunes tiennent l'atelier.",
                "id_target_public": "Jeunes de 12 à 25 ans",
                "id_expected_people": "80",
            },
        ),
        ("Les partenaires", {"id_partners": "Service jeunesse de Vitry"}),
        ("Le calendrier", {"id_calendar": "Ouverture en avril"}),
    ]:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect_success(page, "Enregistré.")
        axe_check(page)
        for element_id, text in values.items():
            type_into(page, element_id, text)
        activate(page, button("Enregistrer et continuer"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Le budget")
    axe_check(page)
    choose_with_arrows(page, "id_lignes-0-account", "60 — Achats")
    type_into(page, "id_lignes-0-label", "Pièces détachées")
    type_into(page, "id_lignes-0-amount", "1500")
    choose_with_arrows(page, "id_lignes-1-account", "74 — Subventions d'exploitation")
    choose_with_arrows(page, "id_lignes-1-funder", "EPT Grand-Orly Seine Bièvre")
    type_into(page, "id_lignes-1-label", "Label Actions Innovantes")
    type_into(page, "id_lignes-1-amount", "1500")
    type_into(page, "id_amount_requested", "1500")
    activate(page, button("Enregistrer et revenir au projet"))

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect_every_section_complete(page)
    axe_check(page)
    activate(page, link("Pièces jointes (0)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pièces jointes")
    axe_check(page)
    choose_with_arrows(page, "id_kind", "Présentation")
    tab_to(page, by_id("id_file"))
    open_file_dialog_with_space(page).set_files(pdf_file(tmp_path, "presentation.pdf"))
    activate(page, button("Ajouter"))
    expect_success(page, "Pièce jointe ajoutée.")
    expect(page.get_by_role("table", name="1 pièce jointe")).to_contain_text("Présentation")
    axe_check(page)
    activate(page, link("Retour au projet"))

    expect(page.get_by_role("link", name="Pièces jointes (1)")).to_be_visible()
    activate(page, button("Proposer au chef de projet"))
    expect_success(page, "Projet proposé à votre chef de projet. Il va prendre contact avec vous.")
    expect_state(page, "Proposé")
    expect(page.get_by_text("Contrat de ville Seine Amont")).to_be_visible()
    axe_check(page)
    project = Project.objects.get(title=title)
    assert project.commune.name == "Vitry-sur-Seine"
    assert sorted(project.themes) == ["environnement", "sport"]
    assert [q.code for q in project.qpvs.all()] == ["QN09410M"]
    assert project.attachments.get().kind == "presentation"

    # --- The chef de projet coaches.
    chef = new_person_page()
    keyboard_login(chef, live_server, CHEF)
    activate(chef, link("Projets qui m'attendent"))
    expect(chef.get_by_role("heading", level=1)).to_have_text("Projets de mon territoire")
    axe_check(chef)
    activate(chef, link(title))
    expect(chef.get_by_role("heading", level=1)).to_have_text(title)
    axe_check(chef)
    activate(chef, button("Prendre en accompagnement"))
    expect_success(chef, "Projet pris en accompagnement. L'association en est informée par mail.")
    expect_state(chef, "En accompagnement")
    axe_check(chef)

    choose_with_arrows(chef, "id_kind", "Visite")
    # The order of a date field's parts follows Chromium's own language (here
    # month/day/year), not the page's. A day equal to its month reads the same
    # in day/month/year and month/day/year: the digits typed are those a
    # French user would type.
    today = timezone.localdate()
    month = today.month if today.day >= today.month else today.month - 1
    meeting_day = datetime.date(today.year, month, month)
    tab_to(chef, by_id("id_happened_on"))
    chef.keyboard.type(meeting_day.strftime("%d%m%Y"))
    expect(chef.locator("#id_happened_on")).to_have_value(meeting_day.isoformat())
    type_into(chef, "id_text", SHARED_NOTE)
    # The radio group is one Tab stop, on the checked button; the arrows move the choice.
    tab_to(chef, labelled("radio", "Interne (chefs de projet et coordination)"))
    chef.keyboard.press("ArrowDown")
    expect(chef.get_by_role("radio", name="Partagée avec l'association")).to_be_checked()
    activate(chef, button("Ajouter la note"))
    expect_success(chef, "Note ajoutée au suivi.")
    axe_check(chef)
    for label in [
        "Le besoin est clair et documenté",
        "Le budget est équilibré et réaliste",
        "Les partenaires ont confirmé leur participation",
        "Les pièces jointes sont complètes",
    ]:
        toggle(chef, "checkbox", label)
    activate(chef, button("Enregistrer la liste"))
    expect_success(chef, "Liste de vérification enregistrée.")
    axe_check(chef)
    activate(chef, button("Marquer prêt au dépôt"))
    expect_state(chef, "Prêt au dépôt")
    axe_check(chef)

    # --- The member deposits and downloads the PDF.
    page.reload()
    expect_state(page, "Prêt au dépôt")
    expect(page.get_by_role("region", name="Suivi de l'accompagnement")).to_contain_text(
        SHARED_NOTE
    )
    axe_check(page)
    activate(page, link("Déposer le dossier"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Déposer le dossier « {title} » ?")
    axe_check(page)
    activate(page, button("Déposer le dossier"))
    expect_success(page, "Dossier déposé. Vous allez recevoir l'accusé de dépôt par mail.")
    expect_state(page, "Déposé")
    snapshot = DepositSnapshot.objects.get(project=project)
    expect(page.get_by_text(f"Empreinte SHA-256 : {snapshot.content_hash}")).to_be_visible()
    axe_check(page)
    tab_to(page, link("Télécharger le dossier déposé (PDF)"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    check_receipt_mail(title)

    # --- The coordinator declares it eligible and shortlists it.
    coordinator = new_person_page()
    keyboard_login(coordinator, live_server, COORDINATOR)
    activate(coordinator, link("Tous les projets"))
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Tous les projets")
    axe_check(coordinator)
    activate(coordinator, link(title))
    axe_check(coordinator)
    activate(coordinator, button("Déclarer recevable"))
    expect_success(coordinator, "Projet déclaré recevable.")
    expect_state(coordinator, "Recevable")
    axe_check(coordinator)
    activate(coordinator, button("Retenir pour l'audition"))
    expect_state(coordinator, "Retenu pour audition")
    axe_check(coordinator)
    project.refresh_from_db()
    assert project.state == "shortlisted"


# --- 3. A refused file -----------------------------------------------------


def test_a_refused_file_says_why_and_keeps_the_chosen_kind(
    page, live_server, transactional_db, tmp_path
):
    seed_people()
    project = seeded_project("Ateliers cuisine du quai", propose=False)
    login(page, live_server, MEMBER)
    page.goto(live_server.url + reverse("submissions:attachments", args=[project.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pièces jointes")
    axe_check(page)

    # Text disguised as a PDF.
    disguised = pdf_file(tmp_path, "budget.pdf", b"Ceci n'est pas un PDF.\n")
    field(page, "Type de pièce").select_option(label="Budget")
    field(page, "Fichier").set_input_files(disguised)
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(
        page.get_by_text("Le contenu de « budget.pdf » ne correspond pas à un fichier PDF.")
    ).to_be_visible()
    expect(field(page, "Fichier")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Type de pièce").locator("option:checked")).to_have_text("Budget")
    expect(page.get_by_text("Aucune pièce jointe pour l'instant.")).to_be_visible()
    axe_check(page)

    # A real PDF, one byte over 10 Mo.
    too_big = pdf_file(
        tmp_path, "photos-du-quartier.pdf", PDF_BYTES.ljust(10 * 1024 * 1024 + 1, b"\n")
    )
    field(page, "Type de pièce").select_option(label="Photo")
    field(page, "Fichier").set_input_files(too_big)
    page.get_by_role("button", name="Ajouter").click()
    expect(
        page.get_by_text(
            "« photos-du-quartier.pdf » dépasse 10 Mo, la taille maximale d'un fichier."
        )
    ).to_be_visible()
    expect(field(page, "Type de pièce").locator("option:checked")).to_have_text("Photo")
    axe_check(page)
    assert Attachment.objects.count() == 0


# --- 4. At 320 px ----------------------------------------------------------


def test_no_sideways_scroll_at_320_px(page, new_person_page, live_server, transactional_db):
    seed_people()
    project = seeded_project("Ateliers cuisine du quai avec un titre assez long", propose=True)
    login(page, live_server, MEMBER)
    for path in [
        project.get_absolute_url(),
        reverse("submissions:project_section", args=[project.pk, "presentation"]),
        reverse("submissions:project_section", args=[project.pk, "budget"]),
    ]:
        page.goto(f"{live_server.url}{path}")
        with viewport_width(page, NARROW_WIDTH):
            assert_no_horizontal_scroll(page)
            axe_check(page)

    chef = new_person_page()
    login(chef, live_server, CHEF)
    inbox = reverse("submissions:inbox")
    for path in [inbox, f"{inbox}?waiting=on", project.get_absolute_url()]:
        chef.goto(f"{live_server.url}{path}")
        expect(chef.get_by_text(project.title).first).to_be_visible()
        with viewport_width(chef, NARROW_WIDTH):
            assert_no_horizontal_scroll(chef)
            axe_check(chef)


# --- 5. The quartiers follow the commune -------------------------------------


def presentation_url(live_server, project) -> str:
    return live_server.url + reverse(
        "submissions:project_section", args=[project.pk, "presentation"]
    )


def visible_communes(page):
    return page.locator("[data-qpv-communes] fieldset:visible")


def test_the_quartiers_follow_the_chosen_commune(page, live_server, transactional_db):
    seed_people()
    project = seeded_project("Ateliers cuisine du quai", propose=False)
    login(page, live_server, MEMBER)
    page.goto(presentation_url(live_server, project))

    ivry = page.get_by_role("group", name="Ivry-sur-Seine")
    vitry = page.get_by_role("group", name="Vitry-sur-Seine")
    expect(field(page, "Commune du projet").locator("option:checked")).to_have_text(
        "Ivry-sur-Seine"
    )
    expect(ivry).to_be_visible()
    expect(vitry).to_be_hidden()
    expect(visible_communes(page)).to_have_count(1)
    expect(page.get_by_role("checkbox", name="Ivry Port (QN09408M)")).to_be_checked()
    axe_check(page)

    field(page, "Commune du projet").select_option(label="Vitry-sur-Seine")
    expect(ivry).to_be_hidden()
    expect(vitry).to_be_visible()
    expect(visible_communes(page)).to_have_count(1)
    page.get_by_role("checkbox", name="Colonel Fabien (QN09410M)").check()
    axe_check(page)

    field(page, "Commune du projet").select_option(index=0)  # no commune
    expect(visible_communes(page)).to_have_count(0)
    expect(
        page.get_by_text(
            "Choisissez d'abord la commune du projet : ses quartiers s'afficheront ici."
        )
    ).to_be_visible()
    axe_check(page)

    field(page, "Commune du projet").select_option(label="Vitry-sur-Seine")
    page.get_by_role("button", name="Enregistrer et revenir au projet").click()
    expect_success(page, "Enregistré.")
    project.refresh_from_db()
    assert project.commune.name == "Vitry-sur-Seine"
    # Ivry Port stayed ticked in the hidden Ivry list: it was not sent.
    assert [qpv.code for qpv in project.qpvs.all()] == ["QN09410M"]


def test_without_javascript_every_commune_is_listed_and_the_server_keeps_the_rule(
    browser, live_server, transactional_db
):
    seed_people()
    project = seeded_project("Ateliers cuisine du quai", propose=False)
    context = browser.new_context(locale="fr-FR", viewport=VIEWPORT, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, MEMBER)
        page.goto(presentation_url(live_server, project))
        expect(page.get_by_role("group", name="Ivry-sur-Seine")).to_be_visible()
        expect(page.get_by_role("group", name="Vitry-sur-Seine")).to_be_visible()
        expect(visible_communes(page)).to_have_count(
            len(page.locator("[data-qpv-communes] fieldset").all())
        )

        page.get_by_role("checkbox", name="Colonel Fabien (QN09410M)").check()
        page.get_by_role("button", name="Enregistrer et revenir au projet").click()

        expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
        expect(
            page.get_by_text(
                "Le quartier « Colonel Fabien » n'est pas dans la commune choisie, "
                "Ivry-sur-Seine. Cochez seulement des quartiers de cette commune."
            )
        ).to_be_visible()
        expect(page.get_by_role("checkbox", name="Colonel Fabien (QN09410M)")).to_be_checked()
    finally:
        context.close()
    project.refresh_from_db()
    assert [qpv.code for qpv in project.qpvs.all()] == ["QN09408M"]


# --- 6. The lists on a phone -------------------------------------------------

PHONE_WIDTH = 375


def assert_inside_viewport(page, locator) -> None:
    __tracebackhide__ = True
    # Scroll the page down to it, never sideways: a table scrolled aside does not count.
    locator.evaluate(
        "(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 100)"
    )
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (box, size)
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (box, size)


def test_the_project_lists_keep_the_state_in_sight_at_375_px(
    page, new_person_page, live_server, transactional_db
):
    seed_people()
    seeded_project("Ateliers de cuisine du monde au pied des immeubles du quai", propose=True)

    login(page, live_server, MEMBER)
    with viewport_width(page, PHONE_WIDTH):
        page.goto(live_server.url + reverse("submissions:project_list"))
        table = page.get_by_role("table", name="Les projets de mon association")
        badge = table.get_by_role("row").nth(1).locator(".badge")
        expect(badge).to_have_text("Proposé")
        assert_inside_viewport(page, badge)
        assert_no_horizontal_scroll(page)
        axe_check(page)

    chef = new_person_page()
    login(chef, live_server, CHEF)
    with viewport_width(chef, PHONE_WIDTH):
        chef.goto(live_server.url + reverse("submissions:inbox"))
        table = chef.get_by_role("table", name=re.compile(r"^Projets, page 1"))
        badge = table.get_by_role("row").nth(1).locator(".badge")
        expect(badge).to_have_text("Proposé")
        assert_inside_viewport(chef, badge)
        assert_no_horizontal_scroll(chef)
        axe_check(chef)


# --- 7. Final actions ask first ----------------------------------------------


def test_deleting_a_draft_and_declaring_ineligible_ask_for_confirmation(
    page, new_person_page, live_server, transactional_db
):
    seed_people()
    draft = seeded_project("Brouillon à effacer", propose=False)
    deposited = seeded_project("Dossier à examiner", propose=True)
    Project.objects.filter(pk=deposited.pk).update(state="deposited")

    login(page, live_server, MEMBER)
    page.goto(live_server.url + draft.get_absolute_url())
    page.get_by_role("link", name="Supprimer ce brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Supprimer le brouillon « Brouillon à effacer » ?"
    )
    expect(page.get_by_role("note")).to_contain_text("Cette suppression est définitive.")
    axe_check(page)
    page.get_by_role("link", name="Annuler et revenir").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brouillon à effacer")
    assert Project.objects.filter(pk=draft.pk).exists()
    page.get_by_role("link", name="Supprimer ce brouillon").click()
    page.get_by_role("button", name="Supprimer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes projets")
    expect_success(page, "Le brouillon « Brouillon à effacer » est supprimé.")
    assert not Project.objects.filter(pk=draft.pk).exists()

    coordinator = new_person_page()
    login(coordinator, live_server, COORDINATOR)
    coordinator.goto(live_server.url + deposited.get_absolute_url())
    coordinator.get_by_role("link", name="Déclarer irrecevable").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Déclarer irrecevable « Dossier à examiner » ?"
    )
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Déclarer irrecevable").click()
    expect(coordinator.get_by_text("Erreur : Indiquez le motif.")).to_be_visible()
    expect(field(coordinator, "Motif")).to_have_attribute("aria-invalid", "true")
    axe_check(coordinator)
    assert Project.objects.get(pk=deposited.pk).state == "deposited"
    field(coordinator, "Motif").fill("Le projet ne concerne aucun quartier prioritaire.")
    coordinator.get_by_role("button", name="Déclarer irrecevable").click()
    expect_success(coordinator, "Projet déclaré irrecevable.")
    expect_state(coordinator, "Irrecevable")
    axe_check(coordinator)
