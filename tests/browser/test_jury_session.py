"""A jury session from scheduling to the minutes and the published results, in a real browser.

Each person has a browser context of their own: the coordinator, the
association member, the president of the jury (jury1) and two jurors (jury2,
jury3, who declares a conflict of interest). Every page visited is checked
with axe-core; the second test visits every jury page again at 320 px.
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.demo import seed_people
from accounts.models import User
from jury import services as jury_services
from jury.enums import Decision
from jury.models import Audition, JurySession
from submissions.models import Edition, Project
from tests.browser.conftest import (
    NARROW_WIDTH,
    assert_no_horizontal_scroll,
    axe_check,
    field,
    login,
    viewport_width,
)
from tests.factories import member_of
from tests.jury.factories import jury_session
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.browser

COORDINATOR = "coordination@demo.test"
MEMBER = "asso.alpha@demo.test"
PRESIDENT = "jury1@demo.test"
JUROR_2 = "jury2@demo.test"
JUROR_3 = "jury3@demo.test"

SESSION_TITLE = "Jury de printemps"
PLACE = "Salle du conseil territorial, Vitry-sur-Seine"
PROJECT_A = "Jardins partagés du quai"
PROJECT_B = "Cuisine solidaire d'Ivry Port"
PRESENTERS = "Awa Diallo et Moussa Traoré"
CONFLICT_REASON = "Membre du bureau de l'association"
DRAFT_COMMENT = "Un projet porté par les habitants eux-mêmes."
LAUREATE_JUSTIFICATION = "Une implication exemplaire des habitants du quartier."
NOT_SELECTED_JUSTIFICATION = "Un budget encore fragile ; à représenter l'an prochain."

# The default grid (jury.enums.DEFAULT_CRITERIA), weights 3, 3, 2, 2, 1.
CRITERIA = [
    "Caractère innovant",
    "Implication des habitants",
    "Impact sur le quartier",
    "Faisabilité",
    "Pérennité et essaimage",
]
# jury2: (3·4/5 + 3·5/5 + 2·3/5 + 2·4/5 + 1·2/5) / 11 × 100 = 78,18
JUROR_2_SCORES = ["4", "5", "3", "4", "2"]
# jury1: 3/5 everywhere = 60,00 ; mean of the two = 69,09
PRESIDENT_SCORES = ["3"] * 5
# What the association reads: the mean of the two jurors, criterion by criterion.
MEAN_SCORES = ["3,5", "4,0", "3,0", "3,5", "2,5"]


# --- Helpers -----------------------------------------------------------------


def expect_success(page, text: str) -> None:
    __tracebackhide__ = True
    message = page.locator(".portal-messages").get_by_role("status")
    expect(message).to_contain_text("Succès")
    expect(message).to_contain_text(text)


def expect_error(page, text: str) -> None:
    __tracebackhide__ = True
    message = page.locator(".portal-messages").get_by_role("alert")
    expect(message).to_contain_text("Erreur")
    expect(message).to_contain_text(text)


def expect_heading(page, text: str) -> None:
    __tracebackhide__ = True
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def sign_in(page, live_server, email: str) -> None:
    login(page, live_server, email)
    expect_heading(page, "Mon espace")
    axe_check(page)


def click_and_check(page, locator, heading: str) -> None:
    """Follow a link or press a button, land on ``heading``, check the page with axe."""
    locator.click()
    expect_heading(page, heading)
    axe_check(page)


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def ics_of(message) -> str:
    ics = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(ics) == 1, [a[0] for a in message.attachments]
    content = ics[0][1]
    return content.decode() if isinstance(content, bytes) else content


def score_input(page, criterion: str, scale: int = 5):
    return page.get_by_label(f"Note sur {scale} pour « {criterion} »", exact=True)


def total(page):
    return page.locator("#total-pondere")


def project_row(table, title: str):
    return table.get_by_role("row").filter(has=table.page.get_by_role("rowheader", name=title))


def open_session_from_dashboard(page, title: str = SESSION_TITLE) -> None:
    page.get_by_role("region", name="Juré").get_by_role("link", name=title).click()
    expect_heading(page, title)
    axe_check(page)


def declare(page, conflicts: dict[str, str], projects: list[str]) -> None:
    """On the session page: declare "no conflict", or a conflict with its reason, per project."""
    click_and_check(
        page,
        page.get_by_role("link", name="Déclarer mes conflits d'intérêts"),
        "Déclaration des conflits d'intérêts",
    )
    for title in projects:
        group = page.get_by_role("group", name=re.compile(rf"^{re.escape(title)} — "))
        if title in conflicts:
            group.get_by_role("radio", name="Conflit d'intérêts", exact=True).check()
            field(group, "Nature du conflit (en cas de conflit)").fill(conflicts[title])
        else:
            group.get_by_role("radio", name="Aucun conflit d'intérêts", exact=True).check()
    page.get_by_role("button", name="Enregistrer mes déclarations").click()
    expect_heading(page, SESSION_TITLE)
    expect_success(page, "Vos déclarations sont enregistrées.")
    axe_check(page)


def fill_scores(page, scores: list[str]) -> None:
    for criterion, value in zip(CRITERIA, scores, strict=True):
        score_input(page, criterion).fill(value)


def pdf_text(path) -> str:
    with open(path, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- Set-up --------------------------------------------------------------------


def open_edition_with_two_shortlisted_projects() -> tuple[Edition, Project, Project]:
    """An open edition with a budget envelope, and two of asso.alpha's projects shortlisted."""
    edition = EditionFactory(open=True, budget_envelope=Decimal("60000"))
    member = User.objects.get(email=MEMBER)
    association = member.associations.get()
    projects = [
        ProjectFactory(
            association=association,
            edition=edition,
            title=title,
            complete=True,
            shortlisted=True,
        )
        for title in (PROJECT_A, PROJECT_B)
    ]
    for project in projects:
        assert project.snapshot.data["title"] == project.title
    return edition, *projects


# --- 1. A whole session through the UI ---------------------------------------


def test_a_whole_jury_session_through_the_ui(page, new_person_page, live_server, transactional_db):
    seed_people()
    edition, project_a, project_b = open_edition_with_two_shortlisted_projects()
    starts = timezone.localdate() + datetime.timedelta(days=20)

    # --- The coordinator schedules the session.
    sign_in(page, live_server, COORDINATOR)
    click_and_check(page, page.get_by_role("link", name="Jury : séances"), "Séances du jury")
    expect(page.get_by_text("Aucune séance pour l'instant.")).to_be_visible()
    click_and_check(
        page, page.get_by_role("link", name="Nouvelle séance"), "Nouvelle séance du jury"
    )
    field(page, "Édition").select_option(label=edition.title)
    field(page, "Intitulé").fill(SESSION_TITLE)
    field(page, "Début").fill(f"{starts.isoformat()}T09:00")
    field(page, "Lieu").fill(PLACE)
    field(page, "Président du jury").select_option(label="Juré n° 1")
    page.get_by_role("button", name="Créer la séance").click()
    expect_heading(page, SESSION_TITLE)
    expect_success(page, "Séance enregistrée.")
    axe_check(page)
    session = JurySession.objects.get(title=SESSION_TITLE)
    assert session.president.email == PRESIDENT
    assert list(session.members.values_list("user__email", flat=True)) == [PRESIDENT]

    # Two jurors, with their quality.
    jurors_table = page.get_by_role("table", name="Les jurés de la séance et leur avancement")
    for email, last_name, quality in [
        (JUROR_2, "n° 2", "Expert — universitaire"),
        (JUROR_3, "n° 3", "Technicien de l'innovation"),
    ]:
        form = page.get_by_role("form", name="Ajouter un juré")
        field(form, "Adresse e-mail").fill(email)
        field(form, "Prénom").fill("Juré")
        field(form, "Nom").fill(last_name)
        field(form, "Qualité").select_option(label=quality)
        form.get_by_role("button", name="Ajouter le juré").click()
        expect_success(page, "Juré ajouté ; il a reçu un mail.")
        expect(project_row(jurors_table, f"Juré {last_name}")).to_contain_text(quality)
        axe_check(page)
        assert any(SESSION_TITLE in m.subject for m in mails_to(email))
    expect(project_row(jurors_table, "Juré n° 1")).to_contain_text("Président du jury")

    # The grid of the edition: the default one, given to the edition when it was created.
    click_and_check(
        page,
        page.get_by_role("link", name="Grille d'évaluation de l'édition"),
        f"Grille d'évaluation — {edition.title}",
    )
    expect(page.get_by_role("button", name="Préparer la grille")).to_have_count(0)
    grid = page.get_by_role("table", name="Les critères de l'édition, dans l'ordre de la grille")
    for criterion in CRITERIA:
        expect(grid.get_by_role("rowheader", name=criterion)).to_be_visible()
    axe_check(page)

    # Back to the session through the list.
    click_and_check(
        page, page.get_by_role("link", name="Retour aux séances du jury"), "Séances du jury"
    )
    sessions_table = page.get_by_role("table", name=re.compile("^Toutes les séances du jury"))
    expect(sessions_table).to_contain_text(PLACE)
    click_and_check(page, sessions_table.get_by_role("link", name=SESSION_TITLE), SESSION_TITLE)

    # The running order: A then B, B moved up, B given 30 minutes.
    for title in (PROJECT_A, PROJECT_B):
        form = page.get_by_role("form", name="Placer un projet")
        field(form, "Projet retenu pour l'audition").select_option(label=title)
        expect(field(form, "Durée (minutes)")).to_have_value("20")
        form.get_by_role("button", name="Placer le projet").click()
        expect_success(page, "Projet placé dans la séance.")
        axe_check(page)
    expect(
        page.get_by_text("Aucun projet retenu pour l'audition n'attend de place")
    ).to_be_visible()
    order = page.get_by_role("table", name="Les projets de la séance, dans l'ordre de passage")
    body_rows = order.locator("tbody tr")
    expect(body_rows.nth(0)).to_contain_text(PROJECT_A)
    expect(body_rows.nth(1)).to_contain_text(PROJECT_B)
    order.get_by_role("button", name=f"Monter « {PROJECT_B} »").click()
    expect_success(page, "Ordre de passage mis à jour.")
    expect(body_rows.nth(0)).to_contain_text(PROJECT_B)
    expect(body_rows.nth(1)).to_contain_text(PROJECT_A)
    expect(project_row(order, re.compile(f"^{re.escape(PROJECT_A)}"))).to_contain_text("09:20")
    axe_check(page)
    row_b = project_row(order, re.compile(f"^{re.escape(PROJECT_B)}"))
    field(row_b, "Durée (min)").fill("30")
    row_b.get_by_role("button", name=f"Enregistrer l'horaire de « {PROJECT_B} »").click()
    expect_success(page, "Ordre de passage mis à jour.")
    expect(
        field(project_row(order, re.compile(f"^{re.escape(PROJECT_B)}")), "Durée (min)")
    ).to_have_value("30")
    expect(project_row(order, re.compile(f"^{re.escape(PROJECT_A)}"))).to_contain_text("09:30")
    axe_check(page)
    audition_a = Audition.objects.get(project=project_a)
    audition_b = Audition.objects.get(project=project_b)
    assert (audition_b.position, audition_b.duration_minutes) == (0, 30)
    assert timezone.localtime(audition_a.starts_at).time() == datetime.time(9, 30)

    # The convocations, with their .ics invitations.
    mail.outbox.clear()
    page.get_by_role("button", name="Envoyer les convocations").click()
    # A background task sends them (at once in the tests); the page tells how far it is.
    expect_success(
        page,
        "Envoi de 5 convocations, avec leur invitation .ics, en cours : "
        "l'avancement s'affiche dans la préparation de la séance.",
    )
    expect(page.get_by_text(re.compile(r"^5 convocations envoyées le "))).to_be_visible()
    expect(project_row(order, re.compile(f"^{re.escape(PROJECT_A)}"))).to_contain_text(
        "Convocation envoyée le"
    )
    axe_check(page)
    convocations = [
        m for m in mails_to(MEMBER) if m.subject.endswith(f"audition de « {PROJECT_A} »")
    ]
    assert len(convocations) == 1, [m.subject for m in mail.outbox]
    ics = ics_of(convocations[0])
    assert "METHOD:REQUEST" in ics
    assert re.search(rf"^UID:audition-{audition_a.pk}@\S+\r?$", ics, re.MULTILINE), ics
    assert "SEQUENCE:0" in ics
    assert any(PROJECT_B in m.subject for m in mails_to(MEMBER))
    for email in (PRESIDENT, JUROR_2, JUROR_3):
        juror_mails = [m for m in mails_to(email) if "Convocation au jury" in m.subject]
        assert len(juror_mails) == 1, (email, [m.subject for m in mail.outbox])
        assert "METHOD:REQUEST" in ics_of(juror_mails[0])
    assert len(mail.outbox) == 5

    page.get_by_role("button", name="Ouvrir les évaluations").click()
    expect_success(page, "Les jurés peuvent maintenant évaluer.")
    expect(page.locator("main dl .badge")).to_have_text("Évaluations ouvertes")
    expect(page.get_by_role("button", name="Ouvrir les évaluations")).to_have_count(0)
    axe_check(page)

    # --- The association answers its convocation.
    member = new_person_page()
    sign_in(member, live_server, MEMBER)
    auditions = member.get_by_role("region", name="Auditions devant le jury")
    expect(auditions).to_contain_text("Réponse attendue")
    click_and_check(
        member,
        auditions.get_by_role("link", name=f"Répondre à la convocation pour {PROJECT_A}"),
        "Votre audition devant le jury",
    )
    expect(member.get_by_role("region", name="Le rendez-vous")).to_contain_text("09:30")
    member.get_by_role("radio", name="Nous viendrons").check()
    field(member, "Qui présentera le projet ?").fill(PRESENTERS)
    member.get_by_role("button", name="Envoyer ma réponse").click()
    expect_success(member, "Merci, votre réponse est enregistrée.")
    expect(member.get_by_role("region", name="Le rendez-vous")).to_contain_text(
        f"Présence confirmée — présenté par {PRESENTERS}"
    )
    axe_check(member)
    audition_a.refresh_from_db()
    assert (audition_a.attendance, audition_a.presenters) == ("confirmed", PRESENTERS)

    # --- jury2: no conflict; reads the dossier, drafts, reloads, submits.
    juror2 = new_person_page()
    sign_in(juror2, live_server, JUROR_2)
    expect(juror2.get_by_role("region", name="Juré")).to_contain_text(
        "à faire : déclarer vos conflits d'intérêts"
    )
    open_session_from_dashboard(juror2)
    expect(juror2.get_by_role("link", name=f"Évaluer « {PROJECT_A} »")).to_have_count(0)
    declare(juror2, {}, [PROJECT_A, PROJECT_B])
    my_projects = juror2.get_by_role(
        "table", name="Les projets de la séance, dans l'ordre de passage"
    )
    expect(project_row(my_projects, PROJECT_A)).to_contain_text("Aucun conflit")
    click_and_check(
        juror2, juror2.get_by_role("link", name=f"Lire le dossier « {PROJECT_A} »"), PROJECT_A
    )
    expect(juror2.get_by_text(project_a.snapshot.content_hash)).to_be_visible()
    click_and_check(
        juror2,
        juror2.get_by_role("link", name="Évaluer ce projet").first,
        f"Évaluation de « {PROJECT_A} »",
    )
    expect(juror2.get_by_text("État : pas encore commencée.")).to_be_visible()
    expect(total(juror2)).to_have_text("Total pondéré : non calculé")
    score_input(juror2, CRITERIA[0]).fill(JUROR_2_SCORES[0])
    expect(total(juror2)).to_have_text("Total pondéré : 80,00 / 100")  # the script runs
    fill_scores(juror2, JUROR_2_SCORES)
    expect(total(juror2)).to_have_text("Total pondéré : 78,18 / 100")
    juror2.get_by_label(f"Commentaire sur « {CRITERIA[1]} »").fill("Un comité d'habitants décide.")
    field(juror2, "Commentaire général").fill(DRAFT_COMMENT)
    juror2.get_by_role("button", name="Enregistrer le brouillon").click()
    expect_success(juror2, "Brouillon enregistré.")
    expect(juror2.get_by_text(re.compile(r"^État : Brouillon, enregistré le"))).to_be_visible()
    axe_check(juror2)
    juror2.reload()
    expect_heading(juror2, f"Évaluation de « {PROJECT_A} »")
    for criterion, value in zip(CRITERIA, JUROR_2_SCORES, strict=True):
        # Whole scores come back as typed: "4", not "4,0".
        expect(score_input(juror2, criterion)).to_have_value(value)
    expect(juror2.get_by_label(f"Commentaire sur « {CRITERIA[1]} »")).to_have_value(
        "Un comité d'habitants décide."
    )
    expect(field(juror2, "Commentaire général")).to_have_value(DRAFT_COMMENT)
    expect(total(juror2)).to_have_text("Total pondéré : 78,18 / 100")
    axe_check(juror2)
    juror2.get_by_role("button", name="Soumettre l'évaluation").click()
    expect_success(juror2, "Évaluation soumise : elle est verrouillée.")
    expect(juror2.get_by_text("Cette évaluation est verrouillée")).to_be_visible()
    expect(juror2.get_by_role("heading", name="Modifier mon évaluation")).to_be_visible()
    # Nobody else has submitted yet: nothing to read.
    expect(juror2.get_by_role("region", name="Évaluations des autres jurés")).to_have_count(0)
    axe_check(juror2)

    # --- jury3: a conflict on A; no scoring form, no dossier for it.
    juror3 = new_person_page()
    sign_in(juror3, live_server, JUROR_3)
    open_session_from_dashboard(juror3)
    declare(juror3, {PROJECT_A: CONFLICT_REASON}, [PROJECT_A, PROJECT_B])
    my_projects = juror3.get_by_role(
        "table", name="Les projets de la séance, dans l'ordre de passage"
    )
    expect(project_row(my_projects, PROJECT_A)).to_contain_text("Conflit déclaré")
    expect(project_row(my_projects, PROJECT_A)).to_contain_text(
        "Vous ne participez pas à l'évaluation de ce projet."
    )
    expect(juror3.get_by_role("link", name=f"Évaluer « {PROJECT_A} »")).to_have_count(0)
    expect(juror3.get_by_role("link", name=f"Lire le dossier « {PROJECT_A} »")).to_have_count(0)
    expect(juror3.get_by_role("link", name=f"Évaluer « {PROJECT_B} »")).to_be_visible()
    for name in ("evaluation", "dossier"):
        response = juror3.goto(
            live_server.url + reverse(f"jury:{name}", args=[session.pk, project_a.pk])
        )
        assert response.status == 404, (name, response.status)
        expect(juror3.locator("main")).not_to_contain_text(PROJECT_A)
        axe_check(juror3)

    # --- jury1, the president: no conflict; blind until submitted.
    president = new_person_page()
    sign_in(president, live_server, PRESIDENT)
    open_session_from_dashboard(president)
    declare(president, {}, [PROJECT_A, PROJECT_B])
    click_and_check(
        president,
        president.get_by_role("link", name=f"Évaluer « {PROJECT_A} »"),
        f"Évaluation de « {PROJECT_A} »",
    )
    expect(president.get_by_role("region", name="Évaluations des autres jurés")).to_have_count(0)
    expect(president.locator("main")).not_to_contain_text("Juré n° 2")
    expect(president.locator("main")).not_to_contain_text(DRAFT_COMMENT)
    expect(president.locator("main")).not_to_contain_text("78,18")
    fill_scores(president, PRESIDENT_SCORES)
    expect(total(president)).to_have_text("Total pondéré : 60,00 / 100")
    axe_check(president)
    president.get_by_role("button", name="Soumettre l'évaluation").click()
    expect_success(president, "Évaluation soumise : elle est verrouillée.")
    others = president.get_by_role("region", name="Évaluations des autres jurés")
    colleague = others.get_by_role("article", name="Juré n° 2")
    expect(colleague).to_contain_text("Total pondéré : 78,18 / 100")
    expect(colleague).to_contain_text(DRAFT_COMMENT)
    expect(others.get_by_role("article")).to_have_count(1)
    axe_check(president)

    # Results: A ranked first on 2 evaluations out of the 2 expected (jury3 recused).
    click_and_check(
        president,
        president.get_by_role("link", name="Retour à la séance"),
        SESSION_TITLE,
    )
    click_and_check(
        president,
        president.get_by_role("link", name="Résultats", exact=True),
        f"Résultats — {SESSION_TITLE}",
    )
    ranking = president.get_by_role(
        "table", name="Classement des projets par moyenne des totaux pondérés (sur 100)"
    )
    row_a = project_row(ranking, re.compile(f"^{re.escape(PROJECT_A)}"))
    expect(row_a.get_by_role("cell").first).to_have_text("1")
    expect(row_a).to_contain_text("69,09")
    expect(row_a).to_contain_text("2/2")
    row_b = project_row(ranking, re.compile(f"^{re.escape(PROJECT_B)}"))
    expect(row_b).to_contain_text("non classé")
    expect(row_b).to_contain_text("0/3")
    expect(ranking.locator("tbody tr").first).to_contain_text(PROJECT_A)

    # Deliberation: the proposals, the presences, the closing.
    click_and_check(
        president,
        president.get_by_role("link", name="Aller à la délibération").first,
        f"Délibération — {SESSION_TITLE}",
    )
    # One page per proposal: the list carries a link per project, not a form.
    click_and_check(
        president,
        president.get_by_role("link", name=f"Enregistrer la proposition pour « {PROJECT_A} »"),
        f"Proposition du jury pour « {PROJECT_A} »",
    )
    president.get_by_role("radio", name="Lauréat").check()
    president.get_by_label("Montant proposé (€)").fill("5 000")
    field(president, "Justification").fill(LAUREATE_JUSTIFICATION)
    president.get_by_role("button", name="Enregistrer la proposition", exact=True).click()
    expect_heading(president, f"Délibération — {SESSION_TITLE}")
    expect_success(president, f"Proposition enregistrée pour « {PROJECT_A} ».")
    expect(president.get_by_role("region", name="Enveloppe budgétaire")).to_contain_text(
        re.compile(r"5\s000,00 € proposés sur une enveloppe de 60\s000,00 €")
    )
    section_a = president.get_by_role("region", name=PROJECT_A, exact=True)
    expect(section_a).to_contain_text("Lauréat")
    axe_check(president)
    click_and_check(
        president,
        president.get_by_role("link", name=f"Enregistrer la proposition pour « {PROJECT_B} »"),
        f"Proposition du jury pour « {PROJECT_B} »",
    )
    president.get_by_role("radio", name="Non retenu").check()
    president.get_by_role("button", name="Enregistrer la proposition", exact=True).click()
    # Refused: the page comes back with the choice kept and the field's error.
    expect_error(president, f"La proposition pour « {PROJECT_B} » n'est pas enregistrée")
    expect_heading(president, f"Proposition du jury pour « {PROJECT_B} »")
    expect(president.locator("main")).to_contain_text(
        "Aucune proposition enregistrée pour ce projet."
    )
    expect(president.locator("main")).to_contain_text("Erreur : Ce champ est obligatoire.")
    expect(president.get_by_role("radio", name="Non retenu")).to_be_checked()
    axe_check(president)
    field(president, "Justification").fill(NOT_SELECTED_JUSTIFICATION)
    president.get_by_role("button", name="Enregistrer la proposition", exact=True).click()
    expect_heading(president, f"Délibération — {SESSION_TITLE}")
    expect_success(president, f"Proposition enregistrée pour « {PROJECT_B} ».")
    section_b = president.get_by_role("region", name=PROJECT_B, exact=True)
    expect(section_b).to_contain_text("Non retenu")
    axe_check(president)
    for name in ("Juré n° 1", "Juré n° 2", "Juré n° 3"):
        president.get_by_role("checkbox", name=name).check()
    president.get_by_role("button", name="Enregistrer les présences").click()
    expect_success(president, "Présences enregistrées.")
    expect(president.get_by_role("checkbox", name="Juré n° 3")).to_be_checked()
    axe_check(president)
    # Closing asks for confirmation, with the attendance the minutes will carry.
    click_and_check(
        president,
        president.get_by_role("link", name="Clore la séance"),
        f"Clore la séance « {SESSION_TITLE} » ?",
    )
    expect(president.locator("main")).to_contain_text(
        "Présents au procès-verbal : Juré n° 1, Juré n° 2, Juré n° 3."
    )
    president.get_by_role("button", name="Clore la séance").click()
    expect_heading(president, f"Délibération — {SESSION_TITLE}")
    expect_success(
        president, "Séance close. Les propositions, les notes et les présences sont définitives."
    )
    expect(president.locator("main p.lead")).to_contain_text("Close")
    # The president signs the minutes: he downloads them; the named scores stay with the
    # coordination.
    expect(president.get_by_role("link", name="Procès-verbal de la séance (PDF)")).to_be_visible()
    expect(president.get_by_role("link", name="CSV")).to_have_count(0)
    expect(president.get_by_text("les propositions du jury sont définitives")).to_be_visible()
    expect(
        president.get_by_role("link", name=re.compile("^(Enregistrer|Modifier) la proposition"))
    ).to_have_count(0)
    axe_check(president)
    session.refresh_from_db()
    assert session.state == "closed"

    # --- The coordinator downloads the minutes.
    page.goto(f"{live_server.url}{reverse('dashboard')}")
    axe_check(page)
    click_and_check(page, page.get_by_role("link", name="Jury : séances"), "Séances du jury")
    click_and_check(page, page.get_by_role("link", name=SESSION_TITLE), SESSION_TITLE)
    click_and_check(
        page,
        page.get_by_role("link", name="Délibération", exact=True),
        f"Délibération — {SESSION_TITLE}",
    )
    # The minutes are prepared in the background (at once in the tests), then downloaded.
    click_and_check(
        page,
        page.get_by_role("link", name="Procès-verbal de la séance (PDF)"),
        "Procès-verbal de la séance (PDF)",
    )
    page.get_by_role("button", name="Préparer le procès-verbal").click()
    expect_success(page, "La préparation du procès-verbal a commencé.")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Télécharger proces-verbal-jury-")).click()
    download = download_info.value
    assert download.suggested_filename == f"proces-verbal-jury-{edition.year}-{session.pk}.pdf"
    minutes = pdf_text(download.path())
    assert "Procès-verbal du jury" in minutes
    assert "Déports pour conflit d'intérêts" in minutes
    recusals = minutes.split("Déports pour conflit d'intérêts", 1)[1].split(
        "Notes et propositions", 1
    )[0]
    assert "Juré n° 3" in recusals, recusals
    assert CONFLICT_REASON in recusals, recusals
    assert PROJECT_A in recusals, recusals
    assert "Juré n° 2" not in recusals
    assert "Lauréat" in minutes and "Non retenu" in minutes
    assert re.search(r"5\s?000,00", minutes), minutes
    assert LAUREATE_JUSTIFICATION in minutes, minutes
    assert NOT_SELECTED_JUSTIFICATION in minutes, minutes
    assert "2/2" in minutes

    # --- The coordinator publishes the results.
    click_and_check(page, page.get_by_role("link", name="Jury", exact=True), "Séances du jury")
    publication = page.get_by_role("region", name="Publication des résultats")
    publish = publication.get_by_role("link", name=f"Publier les résultats — {edition.title}")
    expect(publish).to_have_accessible_description(re.compile("La publication est définitive"))
    # The confirmation page says what will happen; only its button publishes.
    click_and_check(page, publish, f"Publier les résultats — {edition.title} ?")
    expect(page.locator("main")).to_contain_text("1 projet devient lauréat, 1 projet non retenu.")
    expect(page.locator("main")).to_contain_text("Cette action est définitive")
    page.get_by_role("button", name="Publier les résultats").click()
    # Two proposals, one association: its message waits in the outbox, to be read then sent.
    expect_heading(page, "Envois groupés")
    expect_success(
        page,
        "Résultats publiés : 1 lauréat, 1 non retenu ; le message à 1 association attend dans "
        "les envois groupés : relisez-le, puis envoyez-le.",
    )
    axe_check(page)
    page.goto(f"{live_server.url}{reverse('jury:session_list')}")
    expect_heading(page, "Séances du jury")
    expect(publication).to_contain_text(f"{edition.title} : résultats publiés le")
    expect(publication.get_by_role("link", name=re.compile("^Publier"))).to_have_count(0)
    axe_check(page)
    project_a.refresh_from_db()
    project_b.refresh_from_db()
    assert (project_a.state, project_b.state) == ("laureate", "not_selected")

    # --- The association reads the jury's word: averaged scores, no juror's name.
    member.goto(f"{live_server.url}{reverse('dashboard')}")
    expect_heading(member, "Mon espace")
    axe_check(member)
    auditions = member.get_by_role("region", name="Auditions devant le jury")
    expect(
        auditions.get_by_role("link", name=re.compile("^Répondre à la convocation"))
    ).to_have_count(0)
    click_and_check(
        member,
        auditions.get_by_role("link", name=f"L'avis du jury sur {PROJECT_A}"),
        "L'avis du jury",
    )
    decision = member.get_by_role("region", name="La décision")
    expect(decision).to_contain_text("Lauréat")
    expect(decision).to_contain_text(re.compile(r"5\s000,00 €"))
    expect(decision).to_contain_text(LAUREATE_JUSTIFICATION)
    means = member.get_by_role("table", name="Note moyenne obtenue pour chaque critère")
    for criterion, mean in zip(CRITERIA, MEAN_SCORES, strict=True):
        expect(project_row(means, criterion)).to_contain_text(f"{mean} / 5")
    expect(member.get_by_text("Moyenne des 2 évaluations du jury.")).to_be_visible()
    main = member.locator("main")
    for name in ("Juré n°", "jury1", "jury2", "jury3", DRAFT_COMMENT, CONFLICT_REASON):
        expect(main).not_to_contain_text(name)
    # The project page leads to the same feedback.
    click_and_check(
        member,
        member.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name=PROJECT_A),
        PROJECT_A,
    )
    click_and_check(
        member,
        member.get_by_role("link", name="Lire l'avis du jury sur ce projet"),
        "L'avis du jury",
    )


# --- 2. Every jury page at 320 px ---------------------------------------------


def check_narrow(page, live_server, path: str, heading: str | re.Pattern) -> None:
    __tracebackhide__ = True
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, (path, response.status)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    with viewport_width(page, NARROW_WIDTH):
        assert_no_horizontal_scroll(page)
        axe_check(page)


def test_every_jury_page_at_320_px(page, new_person_page, live_server, transactional_db):
    long_title = "Ateliers intergénérationnels de réparation et de cuisine au pied des immeubles"
    jury = jury_session(projects=2, jurors=2, budget_envelope=Decimal("60000"))
    session, coordinator = jury.session, jury.coordinator
    first, second = jury.projects
    # A long title, in the project and in its deposited dossier.
    Project.objects.filter(pk=first.pk).update(title=long_title)
    snapshot = first.snapshot
    snapshot.data = {**snapshot.data, "title": long_title}
    snapshot.save(update_fields=["data"])
    first.refresh_from_db()
    member = member_of(first.association)
    president, juror, recused = jury.president, jury.jurors[0], jury.jurors[1]
    audition = Audition.objects.get(project=first)
    jury_services.attendance_confirm(
        audition=audition, actor=member, attending=True, presenters=PRESENTERS
    )

    def scores(value: str) -> dict:
        return {
            c.pk: {"value": value, "comment": "Un commentaire assez long, " * 4}
            for c in jury.criteria
        }

    for seat in (president, juror):
        jury_services.declarations_save(
            member=seat, entries=[(first, False, ""), (second, False, "")]
        )
    jury_services.declarations_save(
        member=recused, entries=[(first, True, CONFLICT_REASON), (second, False, "")]
    )
    jury_services.evaluation_save(
        member=juror,
        project=first,
        scores=scores("4"),
        general_comment=DRAFT_COMMENT,
        version=None,
        submit=True,
    )
    jury_services.evaluation_save(
        member=president,
        project=first,
        scores=scores("3,5"),
        general_comment="",
        version=None,
        submit=True,
    )
    jury_services.evaluation_save(
        member=president,
        project=second,
        scores=scores("2"),
        general_comment="",
        version=None,
        submit=False,
    )
    jury_services.proposal_save(
        session=session,
        project=first,
        actor=president.user,
        decision=Decision.LAUREATE,
        amount=Decimal("12500"),
        justification=LAUREATE_JUSTIFICATION,
    )

    session_url = session.get_absolute_url()
    evaluation_first = reverse("jury:evaluation", args=[session.pk, first.pk])
    evaluation_second = reverse("jury:evaluation", args=[session.pk, second.pk])

    # The coordinator.
    login(page, live_server, coordinator.email)
    for path, heading in [
        (reverse("jury:session_list"), "Séances du jury"),
        (session_url, session.title),
        (
            reverse("jury:session_update", args=[session.pk]),
            f"Modifier la séance « {session.title} »",
        ),
        (reverse("jury:session_create"), "Nouvelle séance du jury"),
        (
            reverse("jury:criteria", args=[jury.edition.pk]),
            f"Grille d'évaluation — {jury.edition.title}",
        ),
        (reverse("jury:results", args=[session.pk]), f"Résultats — {session.title}"),
        (reverse("jury:deliberation", args=[session.pk]), f"Délibération — {session.title}"),
        (
            reverse("jury:proposal_save", args=[session.pk, first.pk]),
            f"Proposition du jury pour « {long_title} »",
        ),
    ]:
        check_narrow(page, live_server, path, heading)

    # The president: the juror's view of the session, a submitted evaluation
    # with a colleague's, a draft, the declarations, the dossier.
    chair = new_person_page()
    login(chair, live_server, president.user.email)
    for path, heading in [
        (reverse("jury:session_list"), "Séances du jury"),
        (session_url, session.title),
        (reverse("jury:declarations", args=[session.pk]), "Déclaration des conflits d'intérêts"),
        (reverse("jury:dossier", args=[session.pk, first.pk]), long_title),
        (evaluation_first, f"Évaluation de « {long_title} »"),
        (evaluation_second, f"Évaluation de « {second.title} »"),
    ]:
        check_narrow(chair, live_server, path, heading)
        if path == evaluation_first:
            expect(chair.get_by_role("region", name="Évaluations des autres jurés")).to_be_visible()
        if path == evaluation_second:
            expect(chair.get_by_text(re.compile(r"^État : Brouillon"))).to_be_visible()

    # The jury's dossier as one PDF: before and after asking for it.
    check_narrow(
        chair, live_server, reverse("jury:bundle", args=[session.pk]), "Dossier du jury (PDF)"
    )
    chair.get_by_role("button", name="Préparer le dossier du jury").click()
    expect_success(chair, "La préparation du dossier du jury a commencé.")
    expect(
        chair.get_by_role("link", name=re.compile("^Télécharger dossier-du-jury-"))
    ).to_be_visible()
    with viewport_width(chair, NARROW_WIDTH):
        assert_no_horizontal_scroll(chair)
        axe_check(chair)

    # A juror with a conflict: the session page says so.
    other = new_person_page()
    login(other, live_server, recused.user.email)
    check_narrow(other, live_server, session_url, session.title)
    expect(other.get_by_role("link", name=f"Évaluer « {long_title} »")).to_have_count(0)

    # The association answers its convocation.
    association = new_person_page()
    login(association, live_server, member.email)
    check_narrow(
        association,
        live_server,
        reverse("jury:audition_reply", args=[audition.pk]),
        "Votre audition devant le jury",
    )

    # Closed and published: the locked pages, and the feedback.
    jury_services.proposal_save(
        session=session,
        project=second,
        actor=president.user,
        decision=Decision.NOT_SELECTED,
        amount=Decimal("0"),
        justification=NOT_SELECTED_JUSTIFICATION,
    )
    # The confirmation pages of the closing (attendance asked) and of the publication.
    check_narrow(
        page,
        live_server,
        reverse("jury:session_close", args=[session.pk]),
        f"Clore la séance « {session.title} » ?",
    )
    expect(page.get_by_role("group", name="Jurés présents à la séance *")).to_be_visible()
    jury_services.session_close(
        session=session,
        actor=president.user,
        present_ids=set(session.members.values_list("pk", flat=True)),
    )
    check_narrow(
        page,
        live_server,
        reverse("jury:results_publish", args=[jury.edition.pk]),
        f"Publier les résultats — {jury.edition.title} ?",
    )
    jury_services.results_publish(edition=jury.edition, actor=coordinator)
    for path, heading in [
        (reverse("jury:session_list"), "Séances du jury"),
        (session_url, session.title),
        (reverse("jury:deliberation", args=[session.pk]), f"Délibération — {session.title}"),
        (
            reverse("jury:criteria", args=[jury.edition.pk]),
            f"Grille d'évaluation — {jury.edition.title}",
        ),
    ]:
        check_narrow(page, live_server, path, heading)
    check_narrow(chair, live_server, evaluation_first, f"Évaluation de « {long_title} »")
    check_narrow(
        chair,
        live_server,
        reverse("jury:declarations", args=[session.pk]),
        "Déclaration des conflits d'intérêts",
    )
    check_narrow(
        association,
        live_server,
        reverse("jury:audition_reply", args=[audition.pk]),
        "Votre audition devant le jury",
    )
    check_narrow(
        association, live_server, reverse("jury:feedback", args=[first.pk]), "L'avis du jury"
    )
