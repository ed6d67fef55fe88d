"""The coordination's exports: chosen columns, neutralised formulas, territories, background jobs."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import CityContract, Commune
from coordination import exports
from core import files
from core.models import BackgroundFile, Event
from jury import services as jury_services
from tests.factories import AssociationFactory, UserFactory
from tests.jury.factories import jury_session
from tests.submissions.factories import CoachingEntryFactory, EditionFactory, ProjectFactory

URL = reverse("coordination:exports")
FORMULA = '=HYPERLINK("http://x.test";"clic")'


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _post(client, dataset="projets", **data):
    payload = {"format": "csv", "submission_key": str(uuid.uuid4()), **data}
    return client.post(f"{URL}?jeu={dataset}", payload)


@pytest.fixture
def territory(db):
    """Two projects in Seine Amont (one with a formula for title), one in Orly, one draft."""
    edition = EditionFactory(year=2026)
    seine_amont = CityContract.objects.get(slug="seine-amont")
    orly = CityContract.objects.get(slug="orly")
    ivry = Commune.objects.get(name="Ivry-sur-Seine")
    athis = Commune.objects.get(name="Athis-Mons")
    association = AssociationFactory(name="Les Voisins d'Ivry", commune=ivry)
    formula = ProjectFactory(
        association=association, proposed=True, title=FORMULA, edition=edition, complete=True
    )
    plain = ProjectFactory(
        association=association, coaching=True, title="Cuisine du monde", edition=edition
    )
    elsewhere = ProjectFactory(
        association=AssociationFactory(commune=athis),
        proposed=True,
        commune=athis,
        title="Jardin d'Orly",
        edition=edition,
    )
    ProjectFactory(association=association, title="Brouillon secret", edition=edition)
    officer = UserFactory(officer_contract=seine_amont)
    CoachingEntryFactory(project=plain, author=officer, text="-1 partenaire : à relancer")
    CoachingEntryFactory(project=elsewhere, text="Rendez-vous à Orly")
    return {
        "edition": edition,
        "coordinator": UserFactory(coordinator=True),
        "officer": officer,
        "other_officer": UserFactory(officer_contract=orly),
        "projects": (formula, plain, elsewhere),
    }


def test_the_page_offers_the_datasets_each_role_may_export(client, territory):
    client.force_login(territory["coordinator"])
    coordinator_page = client.get(URL)
    client.force_login(territory["officer"])
    officer_page = client.get(URL)

    assert [d.key for d in coordinator_page.context["datasets"]] == [
        "projets",
        "accompagnement",
        "resultats",
    ]
    assert [d.key for d in officer_page.context["datasets"]] == ["projets", "accompagnement"]
    assert client.get(f"{URL}?jeu=resultats").status_code == 404
    # Sensible defaults: the long texts are left unticked.
    form = coordinator_page.context["form"]
    assert "titre" in form["columns"].initial and "besoin" not in form["columns"].initial
    assert "Le besoin dans le quartier" in coordinator_page.content.decode()


def test_the_columns_come_in_the_dataset_order_whatever_the_order_ticked(client, territory):
    client.force_login(territory["coordinator"])

    response = _post(client, edition=territory["edition"].pk, columns=["commune", "etat", "titre"])

    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == ["Titre", "État", "Commune"]
    assert sorted(rows[1:]) == [
        ["'" + FORMULA, "Proposé", "Ivry-sur-Seine"],
        ["Cuisine du monde", "En accompagnement", "Ivry-sur-Seine"],
        ["Jardin d'Orly", "Proposé", "Athis-Mons"],
    ]
    event = Event.objects.get(workflow="export")
    assert (event.actor, event.reason, event.action) == (
        territory["coordinator"],
        "Projets",
        "csv",
    )
    assert event.changes["lignes"] == [None, 3]


def test_a_small_xlsx_export_neutralises_formulas(client, territory):
    client.force_login(territory["coordinator"])

    response = _post(client, edition=territory["edition"].pk, columns=["titre"], format="xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = sorted(cell.value for cell in sheet["A"][1:])
    assert sheet["A1"].value == "Titre"
    assert titles == ["'" + FORMULA, "Cuisine du monde", "Jardin d'Orly"]
    assert all(cell.data_type == "s" for cell in sheet["A"])


def test_a_chef_de_projet_exports_his_territory_only(client, territory):
    client.force_login(territory["officer"])

    projects = _csv(_post(client, columns=["titre", "contrat"]))
    entries = _csv(_post(client, "accompagnement", columns=["projet", "compte_rendu"]))

    assert sorted(row[0] for row in projects[1:]) == ["'" + FORMULA, "Cuisine du monde"]
    assert {row[1] for row in projects[1:]} == {"Seine Amont"}
    assert entries[1:] == [["Cuisine du monde", "'-1 partenaire : à relancer"]]


def test_a_chef_de_projet_may_not_export_the_results(client, territory):
    client.force_login(territory["officer"])

    response = _post(client, "resultats", edition=territory["edition"].pk, columns=["projet"])

    assert response.status_code == 404


def test_a_form_without_column_says_so_and_keeps_the_choices(client, territory):
    client.force_login(territory["coordinator"])

    response = _post(client, edition=territory["edition"].pk, format="xlsx")

    assert response.status_code == 400
    assert "Cochez au moins une colonne." in response.content.decode()
    assert response.context["form"]["format"].value() == "xlsx"


@pytest.fixture
def results(db):
    jury = jury_session(projects=2, jurors=1)
    criteria = jury.criteria
    for member, comment in ((jury.president, "Trop cher"), (jury.jurors[0], "Très local")):
        for project in jury.projects:
            jury_services.declaration_save(
                member=member, project=project, has_conflict=False, reason=""
            )
            jury_services.evaluation_save(
                member=member,
                project=project,
                scores={c.pk: {"value": "4", "comment": comment} for c in criteria},
                general_comment=f"Avis privé de {member.user.last_name}",
                version=None,
                submit=True,
            )
    return jury


def test_the_jurors_private_comments_stay_out_unless_chosen(client, results):
    client.force_login(results.coordinator)
    data = {"edition": results.edition.pk, "columns": ["projet", "moyenne"]}

    without = _csv(_post(client, "resultats", **data))
    with_comments = _csv(_post(client, "resultats", private="on", **data))

    assert without[0] == ["Projet", "Moyenne (sur 100)"]
    assert len(without) == 3
    assert "Avis privé" not in str(without) and "Trop cher" not in str(without)
    assert with_comments[0] == ["Projet", "Moyenne (sur 100)", "Commentaires des jurés (privés)"]
    assert "Avis privé de " in with_comments[1][2]
    assert "Trop cher" in with_comments[1][2]


def test_the_results_need_an_edition(client, results):
    client.force_login(results.coordinator)

    response = _post(client, "resultats", edition="", columns=["projet"])

    assert response.status_code == 400
    assert response.context["form"].errors == {"edition": ["Choisissez l'édition."]}
    assert "Choisissez l&#x27;édition." in response.content.decode()


@pytest.fixture
def large(monkeypatch):
    """Every export above one row goes to the background."""
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 1)


def test_a_large_export_is_built_in_the_background_and_downloaded_when_ready(
    client, territory, large, django_capture_on_commit_callbacks
):
    client.force_login(territory["coordinator"])
    key = str(uuid.uuid4())
    data = {"edition": territory["edition"].pk, "columns": ["titre", "etat"], "submission_key": key}

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, **data)
    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, **data)

    job = BackgroundFile.objects.get()
    assert response.status_code == again.status_code == 302
    assert response.url == again.url == reverse("coordination:export_job", args=[job.pk])
    assert (job.state, job.done, job.total, job.kind) == ("ready", 3, 3, "coordination-export")
    page = client.get(response.url).content.decode()
    assert "Projets — édition 2026 (CSV)" in page
    assert "Télécharger projets-2026.csv" in page
    download = client.get(reverse("coordination:export_download", args=[job.pk]))
    assert download["Cache-Control"] == "private, no-store"
    rows = _csv(download)
    assert rows[0] == ["Titre", "État"]
    assert ["'" + FORMULA, "Proposé"] in rows
    # Noted in the audit trail once, when it was asked for.
    assert Event.objects.filter(workflow="export").count() == 1


def test_a_large_xlsx_export_neutralises_formulas_too(client, territory, large):
    client.force_login(territory["coordinator"])

    _post(client, edition=territory["edition"].pk, columns=["titre"], format="xlsx")
    job = BackgroundFile.objects.get()

    files.file_build(job.pk)
    job.refresh_from_db()
    sheet = load_workbook(io.BytesIO(job.file.read())).active
    assert "'" + FORMULA in [cell.value for cell in sheet["A"]]


def test_the_builder_tells_its_progress_row_by_row(territory, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_STEP", 1)
    request = exports.Request(
        dataset=exports.PROJECTS,
        edition=territory["edition"],
        columns=("titre",),
        fmt="csv",
        private=False,
    )
    row = BackgroundFile(owner=territory["officer"], parameters=request.parameters)
    calls = []

    built = exports.build_export(row, lambda *args: calls.append(args))

    assert calls == [(0, 2), (1,), (2,)]
    assert built.filename == "projets-2026.csv"
    assert "Jardin d'Orly" not in built.content.decode("utf-8-sig")


def test_another_persons_export_job_is_not_found(client, territory, large):
    client.force_login(territory["coordinator"])
    _post(client, edition=territory["edition"].pk, columns=["titre"])
    job = BackgroundFile.objects.get()

    for person in (territory["officer"], UserFactory(coordinator=True)):
        client.force_login(person)
        assert client.get(reverse("coordination:export_job", args=[job.pk])).status_code == 404
        download = reverse("coordination:export_download", args=[job.pk])
        assert client.get(download).status_code == 404


def test_a_job_not_ready_sends_back_to_its_page(client, territory, large):
    client.force_login(territory["coordinator"])
    _post(client, edition=territory["edition"].pk, columns=["titre"])
    job = BackgroundFile.objects.get()

    response = client.get(reverse("coordination:export_download", args=[job.pk]))
    page = client.get(reverse("coordination:export_job", args=[job.pk])).content.decode()

    assert response.url == reverse("coordination:export_job", args=[job.pk])
    assert "En attente, 0 / 3" in page
    assert "Actualiser" in page


@pytest.mark.parametrize("jobs", [1, 5])
def test_the_exports_page_reads_the_same_queries_for_1_and_many_jobs(
    client, territory, large, jobs, django_assert_num_queries
):
    coordinator = territory["coordinator"]
    client.force_login(coordinator)
    for year in range(jobs):
        edition = EditionFactory(year=2000 + year)
        ProjectFactory.create_batch(2, proposed=True, edition=edition)
        _post(client, edition=edition.pk, columns=["titre"])
    assert BackgroundFile.objects.count() == jobs
    client.get(URL)

    with django_assert_num_queries(3):
        response = client.get(URL)

    assert len(response.context["jobs"]) == jobs


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [("coordinator", True), ("officer", True), ("member", False)],
)
def test_the_dashboard_links_to_the_exports_for_who_may_export(client, territory, role, sees_link):
    people = {**territory, "member": UserFactory()}
    client.force_login(people[role])

    page = client.get(reverse("dashboard")).content.decode()

    assert (f'href="{URL}"' in page) is sees_link
