"""The audit trail as the coordination reads it: sentences, filters, one entry, exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import CityContract
from coordination import audit
from coordination.selectors import audit_event_of
from core.audit import (
    record_export,
    record_membership,
    record_role_change,
    record_sign_in,
    saved_roles_of,
)
from core.models import Event
from core.workflow import record
from jury import services as jury_services
from jury.workflows import EVALUATION
from submissions.enums import ProjectState
from submissions.workflows import EDITION, PROJECT
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.jury.factories import jury_session
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("coordination:audit")


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True, first_name="Claire", last_name="Moreau")


@pytest.fixture
def awa():
    return UserFactory(first_name="Awa", last_name="Diallo", email="awa@exemple.test")


def declared_eligible(project, actor):
    return record(
        PROJECT,
        project,
        "declare_eligible",
        actor=actor,
        from_state=ProjectState.DEPOSITED,
        to_state=ProjectState.ELIGIBLE,
    )


def sentence_of(event):
    return audit.sentence(audit_event_of(UserFactory(coordinator=True), event.pk))


# --- Each kind of entry, in French ---------------------------------------------------------


def test_a_transition_reads_who_moved_which_object_from_which_state_to_which(awa):
    project = ProjectFactory(eligible=True, title="Jardin partagé")

    event = declared_eligible(project, awa)

    assert sentence_of(event) == (
        "Awa Diallo a fait passer le projet « Jardin partagé » de Déposé à Recevable"
    )


def test_an_entry_of_the_portal_itself_and_of_a_deleted_object():
    project = ProjectFactory(title="Brouillon oublié")
    event = record(
        PROJECT, project, "withdraw", from_state=ProjectState.DRAFT, to_state="withdrawn"
    )
    project_pk = project.pk
    project.delete()

    assert sentence_of(event) == (
        f"Le portail a fait passer le projet « objet supprimé n° {project_pk} » "
        "de Brouillon à Retiré"
    )


def test_an_entry_about_a_kind_of_object_the_portal_no_longer_has(client, coordinator):
    """The jury's old PDF bundles (a table dropped when they became core.files files)."""
    from django.contrib.contenttypes.models import ContentType

    gone, _ = ContentType.objects.get_or_create(app_label="jury", model="jurybundle")
    event = Event.objects.create(
        workflow="jury-bundle",
        action="finish",
        content_type=gone,
        object_id=7,
        from_state="running",
        to_state="done",
    )

    assert sentence_of(event) == (
        "Le portail a fait passer le dossier PDF du jury « objet supprimé n° 7 » de running à done"
    )
    client.force_login(coordinator)
    assert "objet supprimé n° 7" in client.get(AUDIT).content.decode()


def test_rights_sign_in_and_export_sentences(coordinator, awa):
    before = saved_roles_of(awa)
    awa.is_juror = True
    awa.officer_contract = CityContract.objects.get(slug="orly")
    roles = record_role_change(actor=coordinator, user=awa, before=before)
    association = AssociationFactory(name="Les Jardins d'Ivry")
    added = record_membership(actor=coordinator, user=awa, group=association, joined=True)
    removed = record_membership(actor=coordinator, user=awa, group=association, joined=False)
    joined = record_membership(actor=awa, user=awa, group=association, joined=True)
    signed_in = record_sign_in(user=coordinator)
    exported = record_export(
        actor=coordinator, subject=association, what="Membres", fmt="xlsx", rows=1, columns=["N"]
    )

    assert [sentence_of(e) for e in (roles, added, removed, joined, signed_in, exported)] == [
        "Claire Moreau a changé les droits de Awa Diallo "
        "(chef de projet du contrat de ville : — → Orly; juré : non → oui)",
        "Claire Moreau a ajouté Awa Diallo à l'association « Les Jardins d'Ivry »",
        "Claire Moreau a retiré Awa Diallo de l'association « Les Jardins d'Ivry »",
        "Awa Diallo a rejoint l'association « Les Jardins d'Ivry »",
        "Claire Moreau a ouvert une session",
        "Claire Moreau a exporté « Membres » en XLSX (1 ligne) "
        "depuis l'association « Les Jardins d'Ivry »",
    ]


def test_jury_entries_read_in_french(coordinator):
    jury = jury_session(projects=1, jurors=0, coordinator=coordinator)
    edition = jury.edition
    published = record(EDITION, edition, "publish_results", actor=coordinator)
    juror = jury.president.user
    seated = record_membership(actor=coordinator, user=juror, group=jury.session, joined=True)
    left = record_membership(actor=juror, user=juror, group=jury.session, joined=False)
    trail = record_export(
        actor=coordinator,
        subject=coordinator,
        what="Journal des événements",
        fmt="csv",
        rows=3,
        columns=["Date"],
    )

    proposal = jury_services.proposal_save(
        session=jury.session,
        project=jury.projects[0],
        actor=coordinator,
        decision="laureate",
        amount=Decimal("1200"),
        justification="Oui.",
    )
    [decided] = Event.objects.for_object(proposal)

    assert sentence_of(decided) == (
        "Claire Moreau a noté la proposition du jury « Projet auditionné n° 1: Lauréat »"
    )
    assert [sentence_of(e) for e in (published, seated, left, trail)] == [
        f"Claire Moreau a publié les résultats de l'édition « {edition} »",
        f"Claire Moreau a ajouté {juror} à la séance du jury « {jury.session} »",
        f"{juror} a quitté la séance du jury « {jury.session} »",
        "Claire Moreau a exporté « Journal des événements » en CSV (3 lignes)",
    ]


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_each_entry_with_its_sentence_and_its_object_link(client, coordinator, awa):
    project = ProjectFactory(eligible=True, title="Jardin partagé")
    event = declared_eligible(project, awa)
    client.force_login(coordinator)

    response = client.get(AUDIT)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Awa Diallo a fait passer le projet « Jardin partagé » de Déposé à Recevable" in page
    assert f'href="{project.get_absolute_url()}"' in page
    assert f'href="{reverse("coordination:audit_event", args=[event.pk])}"' in page


def test_the_filters_keep_the_person_the_object_kind_the_action_kind_and_the_dates(
    client, coordinator, awa
):
    project = ProjectFactory(eligible=True, title="Jardin partagé")
    other = ProjectFactory(eligible=True, title="Ressourcerie")
    by_awa = declared_eligible(project, awa)
    by_claire = declared_eligible(other, coordinator)
    export = record_export(
        actor=awa, subject=project, what="Dossier", fmt="csv", rows=1, columns=["Titre"]
    )
    client.force_login(coordinator)
    today = timezone.localdate()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()

    def shown(**params):
        response = client.get(AUDIT, params)
        assert response.status_code == 200
        return [entry.event for entry in response.context["entries"]]

    assert shown(personne=awa.pk) == [export, by_awa]
    assert shown(personne=awa.pk, action="transition") == [by_awa]
    assert shown(action="export") == [export]
    assert shown(objet="submissions.project", numero=other.pk) == [by_claire]
    assert shown(du=today.isoformat(), au=today.isoformat(), personne=awa.pk) == [export, by_awa]
    assert shown(du=tomorrow) == []
    assert shown(au=yesterday) == []


def test_the_filters_offer_the_people_and_kinds_the_trail_names(client, coordinator, awa):
    declared_eligible(ProjectFactory(eligible=True), awa)
    client.force_login(coordinator)

    form = client.get(AUDIT).context["filter"].form

    # The coordinator's own sign-in names her, and a person as its object.
    assert [label for _value, label in form.fields["personne"].choices] == [
        "Toutes",
        "Awa Diallo (awa@exemple.test)",
        f"Claire Moreau ({coordinator.email})",
    ]
    assert [label for _value, label in form.fields["objet"].choices] == [
        "Tous",
        "Personne",
        "Projet",
    ]


def test_dates_the_wrong_way_round_are_explained(client, coordinator):
    client.force_login(coordinator)

    response = client.get(AUDIT, {"du": "2026-12-31", "au": "2026-01-01"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "La date de fin est avant la date de début." in page
    assert 'value="2026-12-31"' in page


def test_the_pagination_keeps_the_filters(client, coordinator, awa):
    project = ProjectFactory(eligible=True)
    for _ in range(51):
        declared_eligible(project, awa)
    client.force_login(coordinator)

    first = client.get(AUDIT, {"personne": awa.pk, "action": "transition"})
    second = client.get(AUDIT, {"personne": awa.pk, "action": "transition", "page": 2})

    assert len(first.context["entries"]) == 50
    assert f"?personne={awa.pk}&amp;action=transition&amp;page=2" in first.content.decode()
    assert len(second.context["entries"]) == 1


def _many_entries(coordinator, count):
    """Entries of every kind of object: projects, an evaluation, a decision, people."""
    jury = jury_session(projects=1, jurors=1, coordinator=coordinator)
    evaluation_project = jury.projects[0]
    member = jury.jurors[0]
    jury_services.declaration_save(
        member=member, project=evaluation_project, has_conflict=False, reason=""
    )
    evaluation = jury_services.evaluation_save(
        member=member,
        project=evaluation_project,
        scores={c.pk: {"value": "3", "comment": ""} for c in jury.criteria},
        general_comment="",
        version=None,
        submit=True,
    )
    for _ in range(count):
        person = UserFactory()
        declared_eligible(ProjectFactory(eligible=True), person)
        record(EVALUATION, evaluation, "amend", actor=member.user, changes={})
        record_sign_in(user=coordinator)
        record_membership(actor=coordinator, user=person, group=AssociationFactory(), joined=True)
    return jury


def test_the_list_costs_the_same_queries_with_one_or_many_entries(client, coordinator):
    client.force_login(coordinator)
    _many_entries(coordinator, 1)
    # Warm the caches (content types, the session) before counting.
    client.get(AUDIT)

    with CaptureQueriesContext(connection) as with_few:
        assert client.get(AUDIT).status_code == 200
    _many_entries(coordinator, 12)
    with CaptureQueriesContext(connection) as with_many:
        response = client.get(AUDIT)

    assert len(response.context["entries"]) == 50
    assert len(with_few) == len(with_many)


# --- One entry -----------------------------------------------------------------------------


def test_one_entry_shows_its_reason_and_its_before_and_after(client, coordinator, awa):
    before = saved_roles_of(awa)
    awa.is_coordinator = True
    event = record_role_change(actor=coordinator, user=awa, before=before, reason="Renfort.")
    client.force_login(coordinator)

    response = client.get(reverse("coordination:audit_event", args=[event.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Claire Moreau a changé les droits de Awa Diallo (coordination : non → oui)." in page
    assert "Renfort." in page
    assert response.context["changes"] == [audit.Change("coordination", "non", "oui")]


def test_an_amended_evaluation_shows_each_changed_criterion_by_name(client, coordinator):
    jury = jury_session(projects=1, jurors=1, coordinator=coordinator)
    criterion = jury.criteria[0]
    member = jury.jurors[0]
    jury_services.declaration_save(
        member=member, project=jury.projects[0], has_conflict=False, reason=""
    )
    evaluation = jury_services.evaluation_save(
        member=member,
        project=jury.projects[0],
        scores={c.pk: {"value": "3", "comment": ""} for c in jury.criteria},
        general_comment="Bien.",
        version=None,
        submit=True,
    )
    event = record(
        EVALUATION,
        evaluation,
        "amend",
        actor=member.user,
        reason="Erreur de saisie.",
        changes={
            f"score:{criterion.pk}": [
                {"value": "3.0", "comment": ""},
                {"value": "4.5", "comment": "Revu"},
            ],
            "general_comment": ["Bien.", "Très bien."],
        },
    )
    client.force_login(coordinator)

    response = client.get(reverse("coordination:audit_event", args=[event.pk]))

    assert response.context["changes"] == [
        audit.Change("commentaire général", "Bien.", "Très bien."),
        audit.Change(f"note : {criterion.label}", "3,0", "4,5 (Revu)"),
    ]


# --- Exports -------------------------------------------------------------------------------


def _csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_follows_the_filters_and_is_itself_recorded(client, coordinator, awa):
    project = ProjectFactory(eligible=True, title="Jardin partagé")
    declared_eligible(project, awa)
    declared_eligible(ProjectFactory(eligible=True), coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("coordination:audit_export", args=["csv"]), {"personne": awa.pk})

    rows = _csv_rows(response)
    assert rows[0] == [
        "Date",
        "Personne",
        "Ce qui a été fait",
        "Type d'objet",
        "N° de l'objet",
        "Motif",
        "Avant / après",
    ]
    assert [row[1:] for row in rows[1:]] == [
        [
            "Awa Diallo",
            "Awa Diallo a fait passer le projet « Jardin partagé » de Déposé à Recevable",
            "Projet",
            str(project.pk),
            "",
            "état : Déposé → Recevable",
        ]
    ]
    recorded = Event.objects.filter(workflow="export").get()
    assert (recorded.actor, recorded.reason, recorded.changes["lignes"]) == (
        coordinator,
        "Journal des événements",
        [None, 1],
    )


def test_the_export_leaves_jurors_comments_out_unless_chosen(client, coordinator):
    jury = jury_session(projects=1, jurors=1, coordinator=coordinator)
    member = jury.jurors[0]
    jury_services.declaration_save(
        member=member, project=jury.projects[0], has_conflict=False, reason=""
    )
    evaluation = jury_services.evaluation_save(
        member=member,
        project=jury.projects[0],
        scores={c.pk: {"value": "3", "comment": ""} for c in jury.criteria},
        general_comment="",
        version=None,
        submit=True,
    )
    criterion = jury.criteria[0]
    record(
        EVALUATION,
        evaluation,
        "amend",
        actor=member.user,
        changes={
            f"score:{criterion.pk}": [
                {"value": "3.0", "comment": ""},
                {"value": "4.0", "comment": "Porteurs très motivés"},
            ],
            "general_comment": ["", "Confidentiel"],
        },
    )
    client.force_login(coordinator)
    url = reverse("coordination:audit_export", args=["csv"])

    without = _csv_rows(client.get(url, {"objet": "jury.evaluation"}))[1][6]
    with_comments = _csv_rows(client.get(url, {"objet": "jury.evaluation", "commentaires": "1"}))[
        1
    ][6]

    assert without == (
        "commentaire général : (commentaire de juré non exporté) → "
        "(commentaire de juré non exporté)\n"
        f"note : {criterion.label} : 3,0 → 4,0"
    )
    assert with_comments == (
        "commentaire général : — → Confidentiel\n"
        f"note : {criterion.label} : 3,0 → 4,0 (Porteurs très motivés)"
    )


def test_the_xlsx_export_answers_a_workbook(client, coordinator, awa):
    declared_eligible(ProjectFactory(eligible=True), awa)
    client.force_login(coordinator)

    response = client.get(reverse("coordination:audit_export", args=["xlsx"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


# --- Who reaches it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "officer", "juror"])
def test_only_the_coordination_reaches_the_trail(client, awa, role):
    event = declared_eligible(ProjectFactory(eligible=True), awa)
    person = {
        "member": lambda: member_of(AssociationFactory()),
        "officer": lambda: UserFactory(officer=True),
        "juror": lambda: UserFactory(juror=True),
    }[role]()
    client.force_login(person)

    answers = [
        client.get(AUDIT).status_code,
        client.get(reverse("coordination:audit_event", args=[event.pk])).status_code,
        client.get(reverse("coordination:audit_export", args=["csv"])).status_code,
    ]

    assert answers == [404, 404, 404]
    assert "Journal" not in client.get(reverse("dashboard")).content.decode()


def test_the_coordinator_dashboard_links_to_the_trail(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("dashboard")).content.decode()

    assert f'href="{AUDIT}">Journal</a>' in page


def test_an_edition_entry_links_nowhere_but_says_what_it_is(client, coordinator):
    edition = EditionFactory(title="Label 2031")
    event = record(EDITION, edition, "publish_results", actor=coordinator)

    assert audit.object_link(audit_event_of(coordinator, event.pk)) is None
    assert sentence_of(event) == "Claire Moreau a publié les résultats de l'édition « Label 2031 »"
