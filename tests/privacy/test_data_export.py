"""The personal-data archive: what it holds for a member, a juror and a chef de projet, and who gets it."""

import io
import json
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import BackgroundFile, Event
from jury import services as jury_services
from submissions.models import Attachment
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.jury.factories import jury_session
from tests.network.factories import RegistrationFactory
from tests.submissions.factories import CoachingEntryFactory, MessageFactory, ProjectFactory

EXPORT_URL = reverse("privacy:data_export")
HUB_URL = reverse("privacy:data")
PDF_BYTES = b"%PDF-1.4\n% statuts\n"


def _attachment(project, author, name="statuts.pdf"):
    attachment = Attachment(
        project=project,
        kind="statuts",
        original_name=name,
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=author,
    )
    attachment.file.save(name, ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return attachment


def _archive(client, user, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    """Ask for the archive as ``user`` and download it."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT_URL)
    row = BackgroundFile.objects.get(owner=user, kind="personal-data")
    response = client.get(reverse("privacy:data_export_download", args=[row.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _data(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("donnees.json"))


def test_a_members_archive_holds_their_projects_messages_and_files_only(
    client, db, django_capture_on_commit_callbacks
):
    association = AssociationFactory(name="Les Voisins d'Ivry")
    member = member_of(association, first_name="Awa", last_name="Diallo", phone="0601020304")
    colleague = member_of(association)
    project = ProjectFactory(association=association, proposed=True, title="Cuisine du monde")
    ProjectFactory(title="Projet d'une autre association", proposed=True)
    MessageFactory(project=project, author=member, body="Voici nos statuts.")
    MessageFactory(project=project, author=colleague, body="Message de ma collègue.")
    mine = _attachment(project, member)
    _attachment(project, colleague, name="budget-collegue.pdf")
    RegistrationFactory(email=member.email, first_name="Awa", organisation="Les Voisins")
    RegistrationFactory(email="quelquun@exemple.test")

    archive = _archive(client, member, django_capture_on_commit_callbacks)
    data = _data(archive)

    assert sorted(archive.namelist()) == sorted(
        ["donnees.json", "LISEZ-MOI.txt", f"fichiers/projets/{mine.pk}-statuts.pdf"]
    )
    assert archive.read(f"fichiers/projets/{mine.pk}-statuts.pdf") == PDF_BYTES
    assert "droit d'accès" in archive.read("LISEZ-MOI.txt").decode()
    assert list(data) == [
        "genere_le",
        "profil",
        "associations",
        "projets",
        "messages",
        "notes_accompagnement",
        "jury",
        "reseau",
        "suivi_laureats",
        "journal",
        "fichiers",
    ]
    assert data["profil"]["adresse_email"] == member.email
    assert (data["profil"]["prenom"], data["profil"]["telephone"]) == ("Awa", "0601020304")
    assert data["profil"]["inscrit_le"].startswith(str(member.date_joined.year))
    assert [a["nom"] for a in data["associations"]] == ["Les Voisins d'Ivry"]
    assert [p["titre"] for p in data["projets"]] == ["Cuisine du monde"]
    assert data["projets"][0]["fichiers_que_vous_avez_deposes"] == [
        f"fichiers/projets/{mine.pk}-statuts.pdf"
    ]
    assert [m["message"] for m in data["messages"]] == ["Voici nos statuts."]
    assert [r["organisation"] for r in data["reseau"]["inscriptions_aux_rencontres"]] == [
        "Les Voisins"
    ]
    assert data["jury"]["evaluations"] == []
    text = archive.read("donnees.json").decode()
    assert colleague.email not in text
    assert "Message de ma collègue." not in text


def test_a_jurors_archive_holds_their_seat_declarations_and_evaluations(
    client, db, django_capture_on_commit_callbacks
):
    jury = jury_session(projects=2, jurors=1)
    juror, other = jury.jurors[0], jury.president
    conflicted, scored = jury.projects
    jury_services.declarations_save(
        member=juror, entries=[(conflicted, True, "Je suis trésorier"), (scored, False, "")]
    )
    for member, comment in ((juror, "Belle idée"), (other, "Avis du président")):
        if member is other:
            jury_services.declaration_save(
                member=other, project=scored, has_conflict=False, reason=""
            )
        jury_services.evaluation_save(
            member=member,
            project=scored,
            scores={c.pk: {"value": "3", "comment": comment} for c in jury.criteria},
            general_comment=f"{comment} : en général",
            version=None,
            submit=True,
        )

    data = _data(_archive(client, juror.user, django_capture_on_commit_callbacks))

    assert [s["seance"] for s in data["jury"]["seances"]] == [jury.session.title]
    declarations = {d["projet"]: d for d in data["jury"]["declarations_d_interets"]}
    assert declarations[conflicted.title]["motif"] == "Je suis trésorier"
    assert declarations[scored.title]["conflit_d_interets"] is False
    (evaluation,) = data["jury"]["evaluations"]
    assert evaluation["commentaire_general"] == "Belle idée : en général"
    assert {n["commentaire"] for n in evaluation["notes"]} == {"Belle idée"}
    assert evaluation["notes"][0]["note"] == "3.0"
    assert "Avis du président" not in json.dumps(data, ensure_ascii=False)
    assert "jury-evaluation.submit" in [entry["quoi"] for entry in data["journal"]]
    assert "juré" in data["profil"]["roles"]


def test_a_chef_de_projets_archive_holds_the_notes_he_wrote(
    client, db, django_capture_on_commit_callbacks
):
    from accounts.models import CityContract

    officer = UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont"))
    project = ProjectFactory(coaching=True, title="Jardin partagé")
    CoachingEntryFactory(project=project, author=officer, text="Budget à revoir.")
    CoachingEntryFactory(project=project, text="Note d'un collègue.")

    data = _data(_archive(client, officer, django_capture_on_commit_callbacks))

    assert [(n["projet"], n["compte_rendu"]) for n in data["notes_accompagnement"]] == [
        ("Jardin partagé", "Budget à revoir.")
    ]
    assert data["profil"]["roles"] == ["chef de projet du contrat de ville Seine Amont"]
    assert data["projets"] == []


def test_the_hub_shows_the_button_and_the_ready_archive(
    client, db, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    assert "Préparer l'archive de mes données" in client.get(HUB_URL).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT_URL)
    row = BackgroundFile.objects.get()
    page = client.get(HUB_URL).content.decode()

    assert response.url == HUB_URL + "#mes-archives"
    (message,) = get_messages(response.wsgi_request)
    assert str(message).startswith("Votre archive est en préparation.")
    assert reverse("privacy:data_export_download", args=[row.pk]) in page
    assert "Mes données personnelles (ZIP)" in page
    assert (row.expires_at - row.created_at).days == 7
    event = Event.objects.get(workflow="export")
    assert (event.actor, event.action, event.reason) == (user, "zip", "Données personnelles")


def test_another_persons_archive_is_not_found(client, db, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT_URL)
    row = BackgroundFile.objects.get()
    url = reverse("privacy:data_export_download", args=[row.pk])

    for stranger in (UserFactory(), UserFactory(coordinator=True)):
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_a_double_click_makes_one_archive(client, db, django_capture_on_commit_callbacks):
    client.force_login(UserFactory())

    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(EXPORT_URL)

    assert BackgroundFile.objects.count() == 1
    assert Event.objects.filter(workflow="export").count() == 1


def test_a_few_archives_a_day_then_a_french_message(
    client, db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from privacy import export

    monkeypatch.setattr(export, "REUSE_WITHIN", export.REUSE_WITHIN * 0)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "personal_data_export": (2, export.KEEP)}
    user = UserFactory()
    client.force_login(user)

    answers = []
    for _click in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post(EXPORT_URL))

    assert BackgroundFile.objects.count() == 2
    message = str(list(get_messages(answers[-1].wsgi_request))[-1])
    assert message.startswith("Vous avez déjà demandé plusieurs fois vos données aujourd'hui.")
    assert answers[-1].url == HUB_URL + "#mes-archives"


def test_an_archive_not_ready_sends_back_to_the_hub(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(EXPORT_URL)
    row = BackgroundFile.objects.get()

    response = client.get(reverse("privacy:data_export_download", args=[row.pk]))
    page = client.get(HUB_URL).content.decode()

    assert response.url == HUB_URL + "#mes-archives"
    assert "En attente, 0 / 9" in page


@pytest.mark.parametrize("archives", [1, 4])
def test_the_hub_reads_the_same_queries_for_1_and_many_archives(
    client, db, archives, settings, django_assert_num_queries
):
    from core import files

    user = UserFactory()
    client.force_login(user)
    for index in range(archives):
        files.request_file(
            owner=user, kind="personal-data", title="Archive", parameters={"n": index}
        )
    client.get(HUB_URL)

    # The unread notifications' count comes with the user (accounts.backends).
    with django_assert_num_queries(12):
        response = client.get(HUB_URL)

    assert len(response.context["data_exports"]) == archives
