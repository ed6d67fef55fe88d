"""The jury's writes: grid, sessions, auditions, declarations, scores, proposals."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core.stale import StaleWrite
from jury import services
from jury.enums import DEFAULT_CRITERIA, Attendance, Decision, EvaluationState, SessionState
from jury.models import (
    Audition,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    EvaluationAmendment,
    JuryMember,
    Proposal,
    Score,
)
from jury.services import NO_EVALUATION_YET, JuryRefused
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.jury.factories import (
    SESSION_START,
    CriterionFactory,
    JuryMemberFactory,
    JurySessionFactory,
    everyone_present,
    jury_session,
)
from tests.submissions.factories import EditionFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = Decimal
FROZEN = "La grille est figée : une évaluation a déjà été soumise pour cette édition."
OUT_OF_SCALE = "La note va de 0 à 5 (une décimale au plus)."
NOT_A_NUMBER = "La note est un nombre."
TO_SCORE = "Notez ce critère avant de soumettre."
OTHER_GRID = "Ce critère n'appartient pas à la grille de l'édition."
NOT_DECLARED = "Déclarez d'abord l'absence de conflit d'intérêts pour ce projet."
NOT_OPEN = "Les évaluations de cette séance ne sont pas ouvertes."
LOCKED = "Cette évaluation est soumise : modifiez-la par un amendement motivé."
STALE = (
    "Cette évaluation a été enregistrée depuis un autre onglet ou appareil. "
    "Vos notes sont conservées : comparez-les avec la version enregistrée, puis choisissez."
)
NOT_IN_SESSION = "Ce projet ne passe pas devant votre séance."
CLOSED = "Cette séance est close."


def messages(excinfo) -> list[str]:
    return excinfo.value.messages


def message_dict(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def scores(criteria, values, comment=""):
    """The scores of a form: {criterion id: {"value": ..., "comment": ...}}."""
    return {
        criterion.pk: {"value": value, "comment": comment}
        for criterion, value in zip(criteria, values, strict=False)
    }


def declare(member, project, conflict=False, reason=""):
    return services.declaration_save(
        member=member, project=project, has_conflict=conflict, reason=reason
    )


def save(member, project, values, *, submit=False, version=None, general_comment="", **kwargs):
    return services.evaluation_save(
        member=member,
        project=project,
        scores=scores(member.session.edition.criteria.order_by("position", "pk"), values),
        general_comment=general_comment,
        version=version,
        submit=submit,
        **kwargs,
    )


def submit_all(member, project, value="4"):
    declare(member, project)
    return save(member, project, [value] * 5, submit=True)


def saved_scores(member, project) -> dict[str, Decimal]:
    return dict(
        Score.objects.filter(evaluation__member=member, evaluation__project=project)
        .order_by("criterion__position")
        .values_list("criterion__label", "value")
    )


@pytest.fixture
def jury():
    return jury_session(projects=3, jurors=3)


# --- The grid ------------------------------------------------------------------------------


def test_criteria_initialise_default_grid_without_previous_edition():
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory(year=2040)

    services.criteria_initialise(edition=edition, actor=coordinator)

    rows = list(
        edition.criteria.order_by("position").values_list(
            "label", "guidance", "weight", "scale_max", "position"
        )
    )
    assert rows == [
        (label, guidance, D(weight), 5, position)
        for position, (label, guidance, weight) in enumerate(DEFAULT_CRITERIA)
    ]


def test_criteria_initialise_copies_previous_edition_grid():
    coordinator = UserFactory(coordinator=True)
    older = EditionFactory(year=2038)
    CriterionFactory(edition=older, label="Ancien critère", position=0)
    previous = EditionFactory(year=2039)
    CriterionFactory(
        edition=previous,
        label="Ancrage local",
        guidance="Partenaires",
        weight=D("2.5"),
        scale_max=10,
        position=1,
    )
    CriterionFactory(
        edition=previous,
        label="Originalité",
        guidance="Nouveauté",
        weight=D("4"),
        scale_max=5,
        position=0,
    )
    later = EditionFactory(year=2042)
    CriterionFactory(edition=later, label="Critère futur", position=0)
    edition = EditionFactory(year=2041)

    services.criteria_initialise(edition=edition, actor=coordinator)

    assert list(
        edition.criteria.order_by("position").values_list(
            "label", "guidance", "weight", "scale_max", "position"
        )
    ) == [
        ("Originalité", "Nouveauté", D("4.0"), 5, 0),
        ("Ancrage local", "Partenaires", D("2.5"), 10, 1),
    ]
    # The previous edition keeps its own rows.
    assert previous.criteria.count() == 2


def test_criteria_initialise_keeps_an_existing_grid():
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory()
    CriterionFactory(edition=edition, label="Seul critère")

    services.criteria_initialise(edition=edition, actor=coordinator)

    assert list(edition.criteria.values_list("label", flat=True)) == ["Seul critère"]


def test_criteria_initialise_refused_to_a_juror():
    edition = EditionFactory()
    with pytest.raises(JuryRefused) as excinfo:
        services.criteria_initialise(edition=edition, actor=UserFactory(juror=True))
    assert messages(excinfo) == ["Seule la coordination prépare le jury."]
    assert edition.criteria.count() == 0


def test_criterion_save_adds_at_the_end_before_any_submission(jury):
    # A draft does not freeze the grid.
    declare(jury.jurors[0], jury.projects[0])
    save(jury.jurors[0], jury.projects[0], ["4"])
    criterion = Criterion(edition=jury.edition, label="Sobriété", weight=D("1"), scale_max=5)

    services.criterion_save(criterion=criterion, actor=jury.coordinator)

    assert services.grid_is_frozen(jury.edition) is False
    assert criterion.position == 5
    assert jury.edition.criteria.count() == 6


def test_criterion_save_delete_move_refused_once_an_evaluation_is_submitted(jury):
    first, last = jury.criteria[0], jury.criteria[4]
    submit_all(jury.jurors[0], jury.projects[0])
    assert services.grid_is_frozen(jury.edition) is True

    first.weight = D("5")
    with pytest.raises(JuryRefused) as saved:
        services.criterion_save(criterion=first, actor=jury.coordinator)
    with pytest.raises(JuryRefused) as added:
        services.criterion_save(
            criterion=Criterion(edition=jury.edition, label="Nouveau"), actor=jury.coordinator
        )
    with pytest.raises(JuryRefused) as deleted:
        services.criterion_delete(criterion=last, actor=jury.coordinator)
    with pytest.raises(JuryRefused) as moved:
        services.criterion_move(criterion=last, actor=jury.coordinator, offset=-1)

    for excinfo in (saved, added, deleted, moved):
        assert messages(excinfo) == [FROZEN]
    assert list(jury.edition.criteria.order_by("position").values_list("label", "weight")) == [
        (label, D(weight)) for label, _guidance, weight in DEFAULT_CRITERIA
    ]


def test_criterion_delete_before_any_submission():
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory()
    services.criteria_initialise(edition=edition, actor=coordinator)
    last = edition.criteria.order_by("position").last()

    services.criterion_delete(criterion=last, actor=coordinator)

    assert edition.criteria.count() == 4


def test_criterion_move_reorders():
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory()
    services.criteria_initialise(edition=edition, actor=coordinator)
    labels = [label for label, _guidance, _weight in DEFAULT_CRITERIA]
    third = edition.criteria.get(label=labels[2])

    services.criterion_move(criterion=third, actor=coordinator, offset=-1)
    assert list(edition.criteria.order_by("position").values_list("label", flat=True)) == [
        labels[0],
        labels[2],
        labels[1],
        labels[3],
        labels[4],
    ]

    services.criterion_move(criterion=third, actor=coordinator, offset=1)
    services.criterion_move(criterion=third, actor=coordinator, offset=1)
    assert list(edition.criteria.order_by("position").values_list("label", flat=True)) == [
        labels[0],
        labels[1],
        labels[3],
        labels[2],
        labels[4],
    ]
    assert list(edition.criteria.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_criterion_move_past_either_end_changes_nothing():
    coordinator = UserFactory(coordinator=True)
    edition = EditionFactory()
    services.criteria_initialise(edition=edition, actor=coordinator)
    labels = [label for label, _guidance, _weight in DEFAULT_CRITERIA]

    services.criterion_move(
        criterion=edition.criteria.get(label=labels[0]), actor=coordinator, offset=-1
    )
    services.criterion_move(
        criterion=edition.criteria.get(label=labels[4]), actor=coordinator, offset=1
    )

    assert list(edition.criteria.order_by("position").values_list("label", flat=True)) == labels


# --- Sessions and jurors -------------------------------------------------------------------


def test_session_save_seats_the_president():
    coordinator = UserFactory(coordinator=True)
    president = UserFactory(email="presidente@exemple.test")
    session = JurySessionFactory.build(edition=EditionFactory(), president=president)

    services.session_save(session=session, actor=coordinator)

    assert list(session.members.values_list("user__email", "quality")) == [
        ("presidente@exemple.test", "elu")
    ]
    president.refresh_from_db()
    assert president.is_juror is True


def test_session_save_keeps_a_seated_president_quality():
    coordinator = UserFactory(coordinator=True)
    member = JuryMemberFactory(quality="technicien")
    session = member.session
    session.president = member.user

    services.session_save(session=session, actor=coordinator)

    assert list(session.members.values_list("user", "quality")) == [(member.user_id, "technicien")]


def test_session_save_refused_to_a_juror_and_on_a_closed_session():
    coordinator = UserFactory(coordinator=True)
    with pytest.raises(JuryRefused) as by_juror:
        services.session_save(
            session=JurySessionFactory.build(edition=EditionFactory()),
            actor=UserFactory(juror=True),
        )
    closed = JurySessionFactory(closed=True)
    closed.title = "Nouveau titre"
    with pytest.raises(JuryRefused) as on_closed:
        services.session_save(session=closed, actor=coordinator)

    assert messages(by_juror) == ["Seule la coordination prépare le jury."]
    assert messages(on_closed) == [CLOSED]


def test_session_save_new_start_retimes_the_auditions(jury):
    jury.session.starts_at = SESSION_START + datetime.timedelta(hours=5)

    services.session_save(session=jury.session, actor=jury.coordinator)

    assert [a.starts_at for a in jury.session.auditions.order_by("position")] == [
        SESSION_START + datetime.timedelta(hours=5, minutes=minutes) for minutes in (0, 20, 40)
    ]


def test_juror_add_unknown_email_creates_an_account_and_mails_a_set_password_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        member = services.juror_add(
            session=session,
            actor=coordinator,
            email="Nouvelle.Jure@Exemple.TEST",
            first_name="Inès",
            last_name="Martin",
            quality="expert_universitaire",
        )

    user = User.objects.get(email="nouvelle.jure@exemple.test")
    assert member.user == user
    assert (user.first_name, user.last_name, user.is_juror, user.is_active) == (
        "Inès",
        "Martin",
        True,
        True,
    )
    assert user.has_usable_password() is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nouvelle.jure@exemple.test"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = re.search(
        rf"http://testserver/compte/mot-de-passe/nouveau/{uid}/(?P<token>[\w-]+)/",
        mailoutbox[0].body,
    )
    assert link is not None
    assert default_token_generator.check_token(user, link["token"]) is True


def test_juror_add_known_person_mails_the_session_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()
    person = UserFactory(email="expert@exemple.test", first_name="Paul")
    password = person.password

    with django_capture_on_commit_callbacks(execute=True):
        member = services.juror_add(
            session=session,
            actor=coordinator,
            email="EXPERT@exemple.test",
            first_name="Autre",
            last_name="Nom",
            quality="expert_etat",
        )

    person.refresh_from_db()
    assert member.user == person
    assert (person.first_name, person.is_juror, person.password) == ("Paul", True, password)
    assert User.objects.filter(email__iexact="expert@exemple.test").count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["expert@exemple.test"]
    assert f"http://testserver/espace/jury/seances/{session.pk}/" in mailoutbox[0].body
    assert "/compte/mot-de-passe/nouveau/" not in mailoutbox[0].body


def test_juror_add_twice_is_refused(mailoutbox, django_capture_on_commit_callbacks):
    coordinator = UserFactory(coordinator=True)
    member = JuryMemberFactory(user__email="jure@exemple.test")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(JuryRefused) as excinfo:
        services.juror_add(
            session=member.session,
            actor=coordinator,
            email="jure@exemple.test",
            first_name="Jo",
            last_name="Doe",
            quality="elu",
        )

    assert message_dict(excinfo) == {"email": ["Cette personne siège déjà dans cette séance."]}
    assert member.session.members.count() == 1
    assert mailoutbox == []


def test_juror_add_refused_to_a_juror():
    member = JuryMemberFactory()
    with pytest.raises(JuryRefused) as excinfo:
        services.juror_add(
            session=member.session,
            actor=member.user,
            email="ami@exemple.test",
            first_name="Ami",
            last_name="Proche",
            quality="elu",
        )
    assert messages(excinfo) == ["Seule la coordination prépare le jury."]
    assert User.objects.filter(email="ami@exemple.test").exists() is False


def test_juror_remove_before_any_submission(jury):
    juror = jury.jurors[0]
    declare(juror, jury.projects[0])
    save(juror, jury.projects[0], ["3"])

    services.juror_remove(member=juror, actor=jury.coordinator)

    assert JuryMember.objects.filter(pk=juror.pk).exists() is False


def test_juror_remove_refused_once_they_submitted(jury):
    juror = jury.jurors[0]
    submit_all(juror, jury.projects[0])

    with pytest.raises(JuryRefused) as excinfo:
        services.juror_remove(member=juror, actor=jury.coordinator)

    assert messages(excinfo) == ["Ce juré a déjà soumis des évaluations : il reste membre du jury."]
    assert JuryMember.objects.filter(pk=juror.pk).exists() is True


def test_juror_remove_refused_for_the_president(jury):
    with pytest.raises(JuryRefused) as excinfo:
        services.juror_remove(member=jury.president, actor=jury.coordinator)
    assert messages(excinfo) == ["Désignez d'abord un autre président."]


def test_jury_composition_frozen_once_the_session_is_closed(jury):
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    juror = JuryMember.objects.get(pk=jury.jurors[0].pk)

    with pytest.raises(JuryRefused) as added:
        services.juror_add(
            session=juror.session,
            actor=jury.coordinator,
            email="retardataire@exemple.test",
            first_name="Léa",
            last_name="Retard",
            quality="elu",
        )
    with pytest.raises(JuryRefused) as removed:
        services.juror_remove(member=juror, actor=jury.coordinator)

    assert (messages(added), messages(removed)) == ([CLOSED], [CLOSED])
    assert jury.session.members.count() == 4
    assert User.objects.filter(email="retardataire@exemple.test").exists() is False


def test_session_open_refused_without_grid():
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()
    services.audition_add(
        session=session,
        project=ProjectFactory(shortlisted=True, edition=session.edition),
        actor=coordinator,
    )

    with pytest.raises(JuryRefused) as excinfo:
        services.session_open(session=session, actor=coordinator)

    assert messages(excinfo) == ["Préparez d'abord la grille de critères de l'édition."]
    session.refresh_from_db()
    assert session.state == SessionState.PLANNED


def test_session_open_refused_without_auditions():
    jury = jury_session(projects=0, opened=False)

    with pytest.raises(JuryRefused) as excinfo:
        services.session_open(session=jury.session, actor=jury.coordinator)

    assert messages(excinfo) == ["Placez d'abord au moins un projet dans la séance."]
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.PLANNED


def test_session_open_with_grid_and_auditions():
    jury = jury_session(projects=1, opened=False)

    opened = services.session_open(session=jury.session, actor=jury.coordinator)

    assert opened.state == SessionState.OPEN
    with pytest.raises(JuryRefused) as excinfo:
        services.session_open(session=jury.session, actor=jury.coordinator)
    assert messages(excinfo) == ["Seule une séance en préparation peut être ouverte."]


def _propose_all(jury, actor=None):
    for project in jury.projects:
        services.proposal_save(
            session=jury.session,
            project=project,
            actor=actor or jury.coordinator,
            decision=Decision.NOT_SELECTED,
            amount=D("0"),
            justification="Projet solide mais peu innovant.",
        )


def test_session_close_refused_while_a_proposal_is_missing(jury):
    services.proposal_save(
        session=jury.session,
        project=jury.projects[0],
        actor=jury.coordinator,
        decision=Decision.LAUREATE,
        amount=D("1000"),
        justification="Projet exemplaire.",
    )

    with pytest.raises(JuryRefused) as excinfo:
        services.session_close(
            session=jury.session,
            actor=jury.president.user,
            present_ids=everyone_present(jury.session),
        )

    assert messages(excinfo) == [
        "Il manque la proposition du jury pour : Projet auditionné n° 2, Projet auditionné n° 3."
    ]
    jury.session.refresh_from_db()
    assert (jury.session.state, jury.session.closed_at) == (SessionState.OPEN, None)


def test_session_close_by_the_president_sets_closed_at(jury):
    _propose_all(jury)

    closed = services.session_close(
        session=jury.session, actor=jury.president.user, present_ids=everyone_present(jury.session)
    )

    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED
    assert jury.session.closed_at == closed.closed_at
    assert jury.session.closed_at is not None


def test_session_close_by_a_coordinator(jury):
    _propose_all(jury)

    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )

    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED


def test_session_close_refused_to_a_juror_and_to_an_association_member(jury):
    _propose_all(jury)
    stranger = member_of(jury.projects[0].association)

    for actor in (jury.jurors[0].user, stranger):
        with pytest.raises(JuryRefused) as excinfo:
            services.session_close(
                session=jury.session, actor=actor, present_ids=everyone_present(jury.session)
            )
        assert messages(excinfo) == [
            "Seuls le président du jury et la coordination closent la séance."
        ]
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN


def test_session_close_refused_when_not_open():
    jury = jury_session(projects=1, opened=False)
    with pytest.raises(JuryRefused) as excinfo:
        services.session_close(
            session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
        )
    assert messages(excinfo) == ["Seule une séance ouverte peut être close."]


def _presence(session) -> dict[str, bool | None]:
    return {str(m.user): m.present for m in session.members.select_related("user")}


@pytest.mark.parametrize("present_ids", [None, set()])
def test_session_close_refused_when_nobody_is_present(jury, present_ids):
    _propose_all(jury)

    with pytest.raises(JuryRefused) as excinfo:
        services.session_close(
            session=jury.session, actor=jury.coordinator, present_ids=present_ids
        )

    assert message_dict(excinfo) == {
        "present": [
            "Aucun juré n'est noté présent : cochez les jurés présents avant de clore la séance."
        ]
    }
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN
    # The refused closing records nothing either.
    assert set(_presence(jury.session).values()) == {None}


def test_session_close_records_the_attendance_given_with_it(jury):
    _propose_all(jury)
    present = {jury.president.pk, jury.jurors[0].pk}

    services.session_close(session=jury.session, actor=jury.coordinator, present_ids=present)

    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED
    assert {m.pk: m.present for m in jury.session.members.all()} == {
        jury.president.pk: True,
        jury.jurors[0].pk: True,
        jury.jurors[1].pk: False,
        jury.jurors[2].pk: False,
    }


def test_session_close_asks_to_confirm_the_recorded_absences(jury):
    _propose_all(jury)
    services.attendance_record(
        session=jury.session,
        actor=jury.coordinator,
        present_ids={jury.president.pk, jury.jurors[0].pk, jury.jurors[1].pk},
    )

    with pytest.raises(JuryRefused) as excinfo:
        services.session_close(session=jury.session, actor=jury.coordinator)

    assert message_dict(excinfo) == {
        "absences_confirmed": [f"Confirmez l'absence de : {jury.jurors[2].user}."]
    }
    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.OPEN

    services.session_close(session=jury.session, actor=jury.coordinator, absences_confirmed=True)

    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED
    assert list(_presence(jury.session).values()).count(False) == 1


def test_session_close_with_everyone_recorded_present_needs_no_confirmation(jury):
    _propose_all(jury)
    services.attendance_record(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )

    services.session_close(session=jury.session, actor=jury.president.user)

    jury.session.refresh_from_db()
    assert jury.session.state == SessionState.CLOSED


def test_grid_frozen_once_a_session_of_the_edition_is_closed(jury):
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    criterion = jury.criteria[0]
    criterion.weight = D("5")

    assert services.grid_is_frozen(jury.edition) is True
    with pytest.raises(JuryRefused) as excinfo:
        services.criterion_save(criterion=criterion, actor=jury.coordinator)
    assert messages(excinfo) == ["La grille est figée : une séance de cette édition est close."]


# --- Auditions -----------------------------------------------------------------------------


def _timetable(session):
    return list(
        session.auditions.order_by("position").values_list(
            "project__title", "position", "starts_at", "ics_sequence"
        )
    )


def _at(minutes):
    return SESSION_START + datetime.timedelta(minutes=minutes)


def test_audition_add_places_auditions_one_after_the_other():
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()
    first = ProjectFactory(shortlisted=True, edition=session.edition, title="Premier")
    second = ProjectFactory(shortlisted=True, edition=session.edition, title="Deuxième")
    third = ProjectFactory(shortlisted=True, edition=session.edition, title="Troisième")

    services.audition_add(session=session, project=first, actor=coordinator, duration_minutes=30)
    audition = services.audition_add(session=session, project=second, actor=coordinator)
    services.audition_update(
        audition=audition, actor=coordinator, duration_minutes=20, break_after_minutes=10
    )
    services.audition_add(session=session, project=third, actor=coordinator)

    assert _timetable(session) == [
        ("Premier", 0, _at(0), 0),
        ("Deuxième", 1, _at(30), 0),
        ("Troisième", 2, _at(60), 0),
    ]


@pytest.mark.parametrize(
    "kwargs",
    [{"deposited": True}, {"ineligible": True}, {"ready": True}],
    ids=["deposited", "ineligible", "ready"],
)
def test_audition_add_refuses_a_project_not_shortlisted(kwargs):
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()
    project = ProjectFactory(edition=session.edition, **kwargs)

    with pytest.raises(JuryRefused) as excinfo:
        services.audition_add(session=session, project=project, actor=coordinator)

    assert messages(excinfo) == [
        "Seul un projet retenu pour l'audition de cette édition peut passer."
    ]
    assert session.auditions.count() == 0


def test_audition_add_refuses_a_project_of_another_edition():
    coordinator = UserFactory(coordinator=True)
    session = JurySessionFactory()
    project = ProjectFactory(shortlisted=True, edition=EditionFactory())

    with pytest.raises(JuryRefused) as excinfo:
        services.audition_add(session=session, project=project, actor=coordinator)

    assert messages(excinfo) == [
        "Seul un projet retenu pour l'audition de cette édition peut passer."
    ]
    assert session.auditions.count() == 0


def test_audition_add_refuses_a_project_already_placed(jury):
    other = JurySessionFactory(edition=jury.edition)
    with pytest.raises(JuryRefused) as excinfo:
        services.audition_add(session=other, project=jury.projects[0], actor=jury.coordinator)
    assert messages(excinfo) == ["Ce projet a déjà sa place dans une séance."]


def test_audition_add_refused_on_a_closed_session_and_to_a_juror():
    session = JurySessionFactory(closed=True)
    project = ProjectFactory(shortlisted=True, edition=session.edition)
    with pytest.raises(JuryRefused) as on_closed:
        services.audition_add(session=session, project=project, actor=UserFactory(coordinator=True))
    with pytest.raises(JuryRefused) as by_juror:
        services.audition_add(
            session=JurySessionFactory(edition=session.edition),
            project=project,
            actor=UserFactory(juror=True),
        )
    assert messages(on_closed) == [CLOSED]
    assert messages(by_juror) == ["Seule la coordination prépare le jury."]
    assert Audition.objects.filter(project=project).exists() is False


def test_audition_move_swaps_and_retimes(jury):
    second = jury.auditions[1]

    services.audition_move(audition=second, actor=jury.coordinator, offset=-1)

    assert _timetable(jury.session) == [
        ("Projet auditionné n° 2", 0, _at(0), 0),
        ("Projet auditionné n° 1", 1, _at(20), 0),
        ("Projet auditionné n° 3", 2, _at(40), 0),
    ]

    services.audition_move(audition=second, actor=jury.coordinator, offset=-1)
    services.audition_move(audition=jury.auditions[2], actor=jury.coordinator, offset=1)
    assert _timetable(jury.session) == [
        ("Projet auditionné n° 2", 0, _at(0), 0),
        ("Projet auditionné n° 1", 1, _at(20), 0),
        ("Projet auditionné n° 3", 2, _at(40), 0),
    ]


def test_audition_update_retimes_the_following_ones(jury):
    first = jury.auditions[0]

    services.audition_update(
        audition=first, actor=jury.coordinator, duration_minutes=45, break_after_minutes=15
    )

    assert _timetable(jury.session) == [
        ("Projet auditionné n° 1", 0, _at(0), 0),
        ("Projet auditionné n° 2", 1, _at(60), 0),
        ("Projet auditionné n° 3", 2, _at(80), 0),
    ]


def test_audition_update_refuses_an_impossible_duration(jury):
    with pytest.raises(ValidationError) as excinfo:
        services.audition_update(
            audition=jury.auditions[0],
            actor=jury.coordinator,
            duration_minutes=2,
            break_after_minutes=0,
        )
    assert list(message_dict(excinfo)) == ["duration_minutes"]
    assert [a[2] for a in _timetable(jury.session)] == [_at(0), _at(20), _at(40)]


def test_ics_sequence_bumps_only_for_convened_auditions_that_change(jury):
    first, second, _third = jury.auditions
    Audition.objects.filter(pk__in=[first.pk, second.pk]).update(convened_at=SESSION_START)
    first.refresh_from_db()

    # The first audition gets longer: the second starts later (convened: bumped),
    # the third too (never convened: stays at 0).
    services.audition_update(
        audition=first, actor=jury.coordinator, duration_minutes=30, break_after_minutes=0
    )
    assert _timetable(jury.session) == [
        ("Projet auditionné n° 1", 0, _at(0), 1),
        ("Projet auditionné n° 2", 1, _at(30), 1),
        ("Projet auditionné n° 3", 2, _at(50), 0),
    ]

    # A break after the first one moves the others but not the first itself.
    first.refresh_from_db()
    services.audition_update(
        audition=first, actor=jury.coordinator, duration_minutes=30, break_after_minutes=10
    )
    assert _timetable(jury.session) == [
        ("Projet auditionné n° 1", 0, _at(0), 1),
        ("Projet auditionné n° 2", 1, _at(40), 2),
        ("Projet auditionné n° 3", 2, _at(60), 0),
    ]

    # Saving the same timing again changes nothing, so nothing is sent again.
    first.refresh_from_db()
    services.audition_update(
        audition=first, actor=jury.coordinator, duration_minutes=30, break_after_minutes=10
    )
    assert [row[3] for row in _timetable(jury.session)] == [1, 2, 0]


def test_convened_audition_with_a_new_duration_is_sent_again(
    jury, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, third = jury.auditions
    for audition in (first, second, third):
        member_of(audition.project.association, email=f"asso{audition.position}@exemple.test")
    Audition.objects.filter(pk__in=[first.pk, second.pk]).update(convened_at=SESSION_START)
    first.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.audition_update(
            audition=first, actor=jury.coordinator, duration_minutes=30, break_after_minutes=0
        )

    assert sorted((mail.to, mail.subject) for mail in mailoutbox) == [
        (
            ["asso0@exemple.test"],
            "[Label Actions Innovantes] Nouvel horaire : audition de « Projet auditionné n° 1 »",
        ),
        (
            ["asso1@exemple.test"],
            "[Label Actions Innovantes] Nouvel horaire : audition de « Projet auditionné n° 2 »",
        ),
    ]
    invitations = {mail.to[0]: mail.attachments[0] for mail in mailoutbox}
    assert [name for name, _content, _mimetype in invitations.values()] == ["invitation.ics"] * 2
    # 9:00–9:30 then 9:30–9:50, Paris summer time (UTC+2), both sent as SEQUENCE 1.
    first_ics, second_ics = (
        invitations["asso0@exemple.test"][1],
        invitations["asso1@exemple.test"][1],
    )
    assert "DTSTART:20300612T070000Z\r\nDTEND:20300612T073000Z\r\n" in first_ics
    assert "DTSTART:20300612T073000Z\r\nDTEND:20300612T075000Z\r\n" in second_ics
    assert ("SEQUENCE:1\r\n" in first_ics, "SEQUENCE:1\r\n" in second_ics) == (True, True)


def test_a_schedule_change_sends_one_mail_even_when_convocations_are_sent_again(
    jury, mailoutbox, django_capture_on_commit_callbacks
):
    for audition in jury.auditions:
        member_of(audition.project.association, email=f"asso{audition.position}@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_convene(session=jury.session, actor=jury.coordinator)
    mailoutbox.clear()

    # The first audition gets longer: the associations are told at once…
    first = Audition.objects.get(pk=jury.auditions[0].pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.audition_update(
            audition=first, actor=jury.coordinator, duration_minutes=30, break_after_minutes=0
        )
    # …and the coordinator sends the convocations again, as the page used to ask.
    with django_capture_on_commit_callbacks(execute=True):
        run, _created = services.session_convene(session=jury.session, actor=jury.coordinator)

    new_times = [m for m in mailoutbox if "Nouvel horaire" in m.subject]
    assert sorted(m.to[0] for m in new_times) == [
        "asso0@exemple.test",
        "asso1@exemple.test",
        "asso2@exemple.test",
    ]
    # The associations get nothing more; the 4 jurors get their updated invitation.
    run.refresh_from_db()
    assert (run.done, run.total, run.is_finished, run.is_failed) == (4, 4, True, False)
    assert [m.subject for m in mailoutbox if m not in new_times] == [
        f"[Label Actions Innovantes] Convocation au jury : {jury.session.title}"
    ] * 4


def test_convening_again_convenes_a_project_placed_since(
    jury, mailoutbox, django_capture_on_commit_callbacks
):
    for audition in jury.auditions:
        member_of(audition.project.association, email=f"asso{audition.position}@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.session_convene(session=jury.session, actor=jury.coordinator)
    late = ProjectFactory(shortlisted=True, edition=jury.edition, title="Projet placé tard")
    member_of(late.association, email="tard@exemple.test")
    services.audition_add(session=jury.session, project=late, actor=jury.coordinator)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_convene(session=jury.session, actor=jury.coordinator)

    assert [(m.to, m.subject) for m in mailoutbox if "audition" in m.subject] == [
        (
            ["tard@exemple.test"],
            "[Label Actions Innovantes] Convocation : audition de « Projet placé tard »",
        )
    ]


def test_ics_sequence_bumps_on_move_for_convened_auditions(jury):
    first, _second, third = jury.auditions
    Audition.objects.filter(pk=first.pk).update(convened_at=SESSION_START)

    services.audition_move(audition=third, actor=jury.coordinator, offset=-1)
    assert [row[3] for row in _timetable(jury.session)] == [0, 0, 0]

    services.audition_move(audition=first, actor=jury.coordinator, offset=1)
    assert _timetable(jury.session) == [
        ("Projet auditionné n° 3", 0, _at(0), 0),
        ("Projet auditionné n° 1", 1, _at(20), 1),
        ("Projet auditionné n° 2", 2, _at(40), 0),
    ]


def test_audition_remove_retimes_the_following_ones(jury):
    services.audition_remove(audition=jury.auditions[0], actor=jury.coordinator)

    assert _timetable(jury.session) == [
        ("Projet auditionné n° 2", 1, _at(0), 0),
        ("Projet auditionné n° 3", 2, _at(20), 0),
    ]


def test_audition_remove_refused_once_an_evaluation_exists(jury):
    declare(jury.jurors[0], jury.projects[0])
    save(jury.jurors[0], jury.projects[0], ["2"])

    with pytest.raises(JuryRefused) as excinfo:
        services.audition_remove(audition=jury.auditions[0], actor=jury.coordinator)

    assert messages(excinfo) == [
        "Des jurés ont commencé à évaluer ce projet : il reste dans la séance."
    ]
    assert jury.session.auditions.count() == 3


def test_audition_changes_refused_on_a_closed_session(jury):
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    before = _timetable(jury.session)
    audition = Audition.objects.get(pk=jury.auditions[0].pk)

    with pytest.raises(JuryRefused) as updated:
        services.audition_update(
            audition=audition, actor=jury.coordinator, duration_minutes=60, break_after_minutes=0
        )
    with pytest.raises(JuryRefused) as moved:
        services.audition_move(audition=audition, actor=jury.coordinator, offset=1)
    with pytest.raises(JuryRefused) as removed:
        services.audition_remove(audition=audition, actor=jury.coordinator)

    for excinfo in (updated, moved, removed):
        assert messages(excinfo) == [CLOSED]
    assert _timetable(jury.session) == before


def test_attendance_confirm_by_a_member_of_the_association(jury):
    audition = jury.auditions[0]
    member = member_of(audition.project.association)

    services.attendance_confirm(
        audition=audition, actor=member, attending=True, presenters="  Awa Diallo, trésorière "
    )

    audition.refresh_from_db()
    assert (audition.attendance, audition.presenters) == (
        Attendance.CONFIRMED,
        "Awa Diallo, trésorière",
    )

    services.attendance_confirm(audition=audition, actor=member, attending=False, presenters="")
    audition.refresh_from_db()
    assert (audition.attendance, audition.presenters) == (Attendance.DECLINED, "")


def test_attendance_confirm_refused_to_anyone_else(jury):
    audition = jury.auditions[0]
    others = [
        member_of(AssociationFactory()),
        member_of(jury.projects[1].association),
        jury.coordinator,
        jury.president.user,
    ]

    for actor in others:
        with pytest.raises(JuryRefused) as excinfo:
            services.attendance_confirm(
                audition=audition, actor=actor, attending=True, presenters="Moi"
            )
        assert messages(excinfo) == ["Seule l'association du projet répond à la convocation."]
    audition.refresh_from_db()
    assert (audition.attendance, audition.presenters) == (Attendance.PENDING, "")


# --- Declarations --------------------------------------------------------------------------


def test_declaration_no_conflict(jury):
    declaration = declare(jury.jurors[0], jury.projects[0])

    assert (declaration.has_conflict, declaration.reason) == (False, "")
    assert services.may_score(jury.jurors[0], jury.projects[0]) is True


def test_declaration_conflict_needs_a_reason(jury):
    with pytest.raises(JuryRefused) as excinfo:
        declare(jury.jurors[0], jury.projects[0], conflict=True, reason="   ")

    assert message_dict(excinfo) == {"reason": ["Indiquez la nature du conflit d'intérêts."]}
    assert ConflictDeclaration.objects.count() == 0


def test_declaration_conflict_deletes_the_juror_draft(jury):
    juror, other = jury.jurors[0], jury.jurors[1]
    project = jury.projects[0]
    declare(juror, project)
    save(juror, project, ["4", "3"])
    declare(other, project)
    save(other, project, ["2"])

    declaration = declare(juror, project, conflict=True, reason="  Je préside l'association. ")

    assert (declaration.has_conflict, declaration.reason) == (True, "Je préside l'association.")
    assert Evaluation.objects.filter(member=juror, project=project).exists() is False
    assert Score.objects.filter(evaluation__member=juror).count() == 0
    assert Evaluation.objects.filter(member=other, project=project).count() == 1
    assert services.may_score(juror, project) is False


def test_declaration_conflict_refused_after_submission(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    submit_all(juror, project)

    with pytest.raises(JuryRefused) as excinfo:
        declare(juror, project, conflict=True, reason="Je me souviens tard.")

    assert messages(excinfo) == ["Vous avez déjà soumis votre évaluation de ce projet."]
    assert ConflictDeclaration.objects.get(member=juror, project=project).has_conflict is False


def test_declaration_refused_for_a_project_outside_the_session(jury):
    other = jury_session(projects=1, jurors=0)

    with pytest.raises(JuryRefused) as excinfo:
        declare(jury.jurors[0], other.projects[0])

    assert messages(excinfo) == [NOT_IN_SESSION]
    assert ConflictDeclaration.objects.filter(member=jury.jurors[0]).count() == 0


def test_declaration_refused_on_a_closed_session(jury):
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    juror = JuryMember.objects.get(pk=jury.jurors[0].pk)

    with pytest.raises(JuryRefused) as excinfo:
        declare(juror, jury.projects[0])

    assert messages(excinfo) == [CLOSED]


def test_declarations_save_is_all_or_nothing(jury):
    juror = jury.jurors[0]
    first, second, third = jury.projects

    with pytest.raises(JuryRefused) as excinfo:
        services.declarations_save(
            member=juror,
            entries=[
                (first, False, ""),
                (second, True, "Salariée de l'association."),
                (third, True, ""),
            ],
        )

    assert message_dict(excinfo) == {"reason": ["Indiquez la nature du conflit d'intérêts."]}
    assert ConflictDeclaration.objects.filter(member=juror).count() == 0

    services.declarations_save(
        member=juror,
        entries=[
            (first, False, ""),
            (second, True, "Salariée de l'association."),
            (third, False, "ignoré"),
        ],
    )
    assert list(
        ConflictDeclaration.objects.filter(member=juror)
        .order_by("project__title")
        .values_list("project__title", "has_conflict", "reason")
    ) == [
        ("Projet auditionné n° 1", False, ""),
        ("Projet auditionné n° 2", True, "Salariée de l'association."),
        ("Projet auditionné n° 3", False, ""),
    ]


# --- Evaluations ---------------------------------------------------------------------------


def test_evaluation_save_refused_before_declaring(jury):
    with pytest.raises(JuryRefused) as excinfo:
        save(jury.jurors[0], jury.projects[0], ["3"])

    assert messages(excinfo) == [NOT_DECLARED]
    assert Evaluation.objects.count() == 0


def test_evaluation_save_refused_for_a_conflicted_juror(jury):
    declare(jury.jurors[0], jury.projects[0], conflict=True, reason="Bénévole de l'association.")

    with pytest.raises(JuryRefused) as excinfo:
        save(jury.jurors[0], jury.projects[0], ["3"] * 5, submit=True)

    assert messages(excinfo) == [NOT_DECLARED]
    assert Evaluation.objects.count() == 0


def test_evaluation_save_refused_for_a_project_outside_the_session(jury):
    other = jury_session(projects=1, jurors=0, edition=jury.edition)

    with pytest.raises(JuryRefused) as excinfo:
        save(jury.jurors[0], other.projects[0], ["3"])

    assert messages(excinfo) == [NOT_IN_SESSION]
    assert Evaluation.objects.count() == 0


def test_evaluation_save_draft_keeps_partial_scores(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    evaluation = save(juror, project, ["4", "3,5"], general_comment="  À revoir. ")

    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.version, evaluation.general_comment) == (
        EvaluationState.DRAFT,
        2,
        "À revoir.",
    )
    assert evaluation.submitted_at is None
    labels = [label for label, _guidance, _weight in DEFAULT_CRITERIA]
    assert saved_scores(juror, project) == {labels[0]: D("4.0"), labels[1]: D("3.5")}

    # The next draft fills one more score and clears the second.
    save(juror, project, ["4", "", "0"], version=2)
    assert saved_scores(juror, project) == {labels[0]: D("4.0"), labels[2]: D("0.0")}


def test_evaluation_save_keeps_the_comment_of_each_criterion(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    save(juror, project, ["5"])

    services.evaluation_save(
        member=juror,
        project=project,
        scores={jury.criteria[0].pk: {"value": "5", "comment": " Très original. "}},
        general_comment="",
        version=None,
    )
    assert list(Score.objects.values_list("criterion", "value", "comment")) == [
        (jury.criteria[0].pk, D("5.0"), "Très original.")
    ]


def test_evaluation_save_accepts_zero_given_as_a_number(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    evaluation = save(juror, project, [0, D("0"), D("2.5"), 5, "1"], submit=True)

    assert evaluation.state == EvaluationState.SUBMITTED
    assert list(saved_scores(juror, project).values()) == [
        D("0.0"),
        D("0.0"),
        D("2.5"),
        D("5.0"),
        D("1.0"),
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("6", OUT_OF_SCALE),
        ("5.1", OUT_OF_SCALE),
        ("-1", OUT_OF_SCALE),
        ("3.25", OUT_OF_SCALE),
        ("1e1", OUT_OF_SCALE),
        ("Infinity", NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("sNaN", NOT_A_NUMBER),
        ("trois", NOT_A_NUMBER),
        ("4/5", NOT_A_NUMBER),
    ],
)
def test_evaluation_save_refuses_a_bad_score_and_saves_nothing(jury, typed, message):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    save(juror, project, ["4", "3"], general_comment="Premier jet")

    with pytest.raises(JuryRefused) as excinfo:
        save(juror, project, ["5", typed, "2"], general_comment="Second jet", version=2)

    assert message_dict(excinfo) == {f"score_{jury.criteria[1].pk}": [message]}
    evaluation = Evaluation.objects.get(member=juror, project=project)
    assert (evaluation.version, evaluation.general_comment) == (2, "Premier jet")
    assert list(saved_scores(juror, project).values()) == [D("4.0"), D("3.0")]


def test_evaluation_save_on_a_scale_of_ten(jury):
    criterion = jury.criteria[0]
    criterion.scale_max = 10
    services.criterion_save(criterion=criterion, actor=jury.coordinator)
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    save(juror, project, ["9.5"])
    with pytest.raises(JuryRefused) as excinfo:
        save(juror, project, ["10.5"])

    assert message_dict(excinfo) == {
        f"score_{criterion.pk}": ["La note va de 0 à 10 (une décimale au plus)."]
    }
    assert list(saved_scores(juror, project).values()) == [D("9.5")]


def test_evaluation_save_refuses_a_criterion_of_another_edition(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    foreign = CriterionFactory(edition=EditionFactory())

    with pytest.raises(JuryRefused) as excinfo:
        services.evaluation_save(
            member=juror,
            project=project,
            scores={
                jury.criteria[0].pk: {"value": "4", "comment": ""},
                foreign.pk: {"value": "4", "comment": ""},
            },
            general_comment="",
            version=None,
        )

    assert messages(excinfo) == [OTHER_GRID]
    assert Evaluation.objects.count() == 0
    assert Score.objects.count() == 0


def test_evaluation_submit_requires_every_criterion(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    with pytest.raises(JuryRefused) as excinfo:
        save(juror, project, ["4", "4", "", "4"], submit=True)

    assert message_dict(excinfo) == {
        f"score_{jury.criteria[2].pk}": [TO_SCORE],
        f"score_{jury.criteria[4].pk}": [TO_SCORE],
    }
    assert Evaluation.objects.count() == 0
    assert Score.objects.count() == 0


def test_evaluation_submit_locks_the_evaluation(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    save(juror, project, ["4"])

    evaluation = save(juror, project, ["4", "4", "3", "2", "1"], submit=True, version=2)

    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.version) == (EvaluationState.SUBMITTED, 3)
    assert evaluation.submitted_at is not None
    with pytest.raises(JuryRefused) as excinfo:
        save(juror, project, ["0"] * 5, version=3)
    assert messages(excinfo) == [LOCKED]
    assert excinfo.value.code == "locked"
    assert list(saved_scores(juror, project).values()) == [D(v) for v in "44321"]


def test_evaluation_amend_requires_a_reason(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    submit_all(juror, project)

    with pytest.raises(JuryRefused) as excinfo:
        services.evaluation_amend(
            member=juror,
            project=project,
            scores=scores(jury.criteria, ["5"] * 5),
            general_comment="",
            reason="  ",
            version=None,
        )

    assert message_dict(excinfo) == {"reason": ["Indiquez le motif de la modification."]}
    assert EvaluationAmendment.objects.count() == 0
    assert list(saved_scores(juror, project).values()) == [D("4.0")] * 5


def test_evaluation_amend_records_before_and_after(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    evaluation = save(juror, project, ["4"] * 5, general_comment="Bien.", submit=True)
    c = [str(criterion.pk) for criterion in jury.criteria]

    amended = services.evaluation_amend(
        member=juror,
        project=project,
        scores=scores(jury.criteria, ["4", "4", "4", "4", "2"], comment="Revu"),
        general_comment="Bien, moins pérenne.",
        reason=" Erreur de saisie sur la pérennité. ",
        version=evaluation.version,
    )

    assert (amended.state, amended.version, amended.general_comment) == (
        EvaluationState.SUBMITTED,
        3,
        "Bien, moins pérenne.",
    )
    amendment = EvaluationAmendment.objects.get()
    assert (amendment.evaluation, amendment.author, amendment.reason) == (
        evaluation,
        juror.user,
        "Erreur de saisie sur la pérennité.",
    )
    assert amendment.before == {
        "general_comment": "Bien.",
        "scores": {key: {"value": "4.0", "comment": ""} for key in c},
    }
    assert amendment.after == {
        "general_comment": "Bien, moins pérenne.",
        "scores": {
            **{key: {"value": "4.0", "comment": "Revu"} for key in c[:4]},
            c[4]: {"value": "2.0", "comment": "Revu"},
        },
    }


def test_evaluation_amend_refused_on_a_draft(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    save(juror, project, ["4"])

    with pytest.raises(JuryRefused) as excinfo:
        services.evaluation_amend(
            member=juror,
            project=project,
            scores=scores(jury.criteria, ["5"] * 5),
            general_comment="",
            reason="Changement",
            version=None,
        )

    assert messages(excinfo) == ["Seule une évaluation soumise se modifie par amendement."]
    assert EvaluationAmendment.objects.count() == 0


def test_evaluation_amend_refuses_an_incomplete_grid(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    submit_all(juror, project)

    with pytest.raises(JuryRefused) as excinfo:
        services.evaluation_amend(
            member=juror,
            project=project,
            scores=scores(jury.criteria, ["5", ""]),
            general_comment="",
            reason="Je retire une note.",
            version=None,
        )

    assert sorted(message_dict(excinfo)) == sorted(
        f"score_{criterion.pk}" for criterion in jury.criteria[1:]
    )
    assert EvaluationAmendment.objects.count() == 0
    assert list(saved_scores(juror, project).values()) == [D("4.0")] * 5


def test_evaluation_first_save_from_a_second_tab_is_stale(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    # Both tabs were opened before any save: they carry "no evaluation yet".
    save(juror, project, ["3"], general_comment="Onglet A", version=NO_EVALUATION_YET)

    with pytest.raises(StaleWrite) as excinfo:
        save(juror, project, ["1"], general_comment="Onglet B", version=NO_EVALUATION_YET)

    assert messages(excinfo) == [STALE]
    evaluation = Evaluation.objects.get()
    assert (evaluation.version, evaluation.general_comment) == (2, "Onglet A")
    assert list(saved_scores(juror, project).values()) == [D("3.0")]


def test_evaluation_save_stale_version_is_refused_and_saves_nothing(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    save(juror, project, ["3"], general_comment="Ouvert", version=None)
    # Two tabs opened at version 2; the first one saves.
    save(juror, project, ["4"], general_comment="Onglet A", version=2)

    with pytest.raises(StaleWrite) as excinfo:
        save(juror, project, ["1", "1"], general_comment="Onglet B", version=2, submit=True)

    assert messages(excinfo) == [STALE]
    assert excinfo.value.code == "stale"
    evaluation = Evaluation.objects.get()
    assert (evaluation.state, evaluation.version, evaluation.general_comment) == (
        EvaluationState.DRAFT,
        3,
        "Onglet A",
    )
    assert list(saved_scores(juror, project).values()) == [D("4.0")]


def test_evaluation_amend_stale_version_is_refused(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    evaluation = submit_all(juror, project)

    with pytest.raises(StaleWrite) as excinfo:
        services.evaluation_amend(
            member=juror,
            project=project,
            scores=scores(jury.criteria, ["5"] * 5),
            general_comment="",
            reason="Changement",
            version=evaluation.version - 1,
        )

    assert messages(excinfo) == [STALE]
    assert EvaluationAmendment.objects.count() == 0


def test_evaluation_refused_while_the_session_is_planned():
    jury = jury_session(projects=1, opened=False)
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)

    with pytest.raises(JuryRefused) as excinfo:
        save(juror, project, ["3"])

    assert messages(excinfo) == [NOT_OPEN]
    assert Evaluation.objects.count() == 0


def test_evaluation_refused_once_the_session_is_closed(jury):
    juror, project = jury.jurors[0], jury.projects[0]
    submit_all(juror, project)
    declare(juror, jury.projects[1])
    _propose_all(jury)
    services.session_close(
        session=jury.session, actor=jury.coordinator, present_ids=everyone_present(jury.session)
    )
    juror = JuryMember.objects.get(pk=juror.pk)

    with pytest.raises(JuryRefused) as saved:
        save(juror, jury.projects[1], ["3"])
    with pytest.raises(JuryRefused) as amended:
        services.evaluation_amend(
            member=juror,
            project=project,
            scores=scores(jury.criteria, ["5"] * 5),
            general_comment="",
            reason="Trop tard",
            version=None,
        )

    assert messages(saved) == [NOT_OPEN]
    assert messages(amended) == [NOT_OPEN]
    assert Evaluation.objects.count() == 1
    assert EvaluationAmendment.objects.count() == 0


# --- Proposals -----------------------------------------------------------------------------


def propose(jury, project, *, actor=None, decision=Decision.LAUREATE, amount="1000", text="Oui"):
    return services.proposal_save(
        session=jury.session,
        project=project,
        actor=actor or jury.president.user,
        decision=decision,
        amount=D(amount),
        justification=text,
    )


def test_proposal_save_by_the_president_and_by_a_coordinator(jury):
    first = propose(jury, jury.projects[0], text="  Projet exemplaire. ")
    second = propose(
        jury, jury.projects[1], actor=jury.coordinator, decision=Decision.NOT_SELECTED, amount="0"
    )

    assert (first.decision, first.amount, first.justification, first.recorded_by) == (
        Decision.LAUREATE,
        D("1000"),
        "Projet exemplaire.",
        jury.president.user,
    )
    assert (second.decision, second.amount, second.recorded_by) == (
        Decision.NOT_SELECTED,
        D("0"),
        jury.coordinator,
    )


def test_proposal_save_refused_to_a_juror_and_to_an_association_member(jury):
    for actor in (jury.jurors[0].user, member_of(jury.projects[0].association)):
        with pytest.raises(JuryRefused) as excinfo:
            propose(jury, jury.projects[0], actor=actor)
        assert messages(excinfo) == [
            "Seuls le président du jury et la coordination notent les propositions."
        ]
    assert Proposal.objects.count() == 0


def test_proposal_save_refused_when_the_session_is_not_open():
    planned = jury_session(projects=1, opened=False)
    with pytest.raises(JuryRefused) as on_planned:
        propose(planned, planned.projects[0])

    closed = jury_session(projects=1)
    propose(closed, closed.projects[0])
    services.session_close(
        session=closed.session,
        actor=closed.coordinator,
        present_ids=everyone_present(closed.session),
    )
    with pytest.raises(JuryRefused) as on_closed:
        propose(closed, closed.projects[0], decision=Decision.NOT_SELECTED, amount="0")

    assert messages(on_planned) == ["Cette séance n'est pas encore ouverte."]
    assert messages(on_closed) == ["Les propositions d'une séance close ne changent plus."]
    assert list(Proposal.objects.values_list("decision", "amount")) == [
        (Decision.LAUREATE, D("1000.00"))
    ]


def test_proposal_save_refused_for_a_project_not_in_the_session(jury):
    other = jury_session(projects=1, jurors=0, edition=jury.edition)

    with pytest.raises(JuryRefused) as excinfo:
        propose(jury, other.projects[0])

    assert messages(excinfo) == ["Ce projet ne passe pas devant cette séance."]
    assert Proposal.objects.count() == 0


def test_proposal_save_refused_to_a_conflicted_president_for_that_project(jury):
    declare(jury.president, jury.projects[0], conflict=True, reason="Adhérent.")

    with pytest.raises(JuryRefused) as excinfo:
        propose(jury, jury.projects[0])
    propose(jury, jury.projects[1])
    propose(jury, jury.projects[0], actor=jury.coordinator)

    assert messages(excinfo) == [
        "Vous avez déclaré un conflit d'intérêts : la proposition revient à un autre membre."
    ]
    assert list(
        Proposal.objects.order_by("project__title").values_list("project__title", "recorded_by")
    ) == [
        ("Projet auditionné n° 1", jury.coordinator.pk),
        ("Projet auditionné n° 2", jury.president.user_id),
    ]


def test_proposal_save_checks_the_edition_envelope_across_sessions():
    jury = jury_session(projects=3, budget_envelope=D("10000"))
    other = jury_session(projects=1, jurors=0, edition=jury.edition)
    propose(other, other.projects[0], amount="4000")
    propose(jury, jury.projects[0], amount="5000")

    with pytest.raises(JuryRefused) as excinfo:
        propose(jury, jury.projects[1], amount="1000.01")

    assert message_dict(excinfo) == {
        "amount": [
            "Avec ce montant, les propositions atteignent 10\u00a0000,01 €, au-delà de "
            "l'enveloppe de l'édition (10\u00a0000,00 €)."
        ]
    }
    assert Proposal.objects.count() == 2

    # Exactly the envelope is allowed.
    propose(jury, jury.projects[1], amount="1000")
    assert Proposal.objects.count() == 3


def test_proposal_save_ignores_another_edition_in_the_envelope():
    jury = jury_session(projects=1, budget_envelope=D("5000"))
    elsewhere = jury_session(projects=1, jurors=0)
    propose(elsewhere, elsewhere.projects[0], amount="9000")

    proposal = propose(jury, jury.projects[0], amount="5000")

    assert proposal.amount == D("5000")


def test_proposal_save_not_selected_forces_amount_zero():
    jury = jury_session(projects=2, budget_envelope=D("1000"))

    proposal = propose(jury, jury.projects[0], decision=Decision.NOT_SELECTED, amount="8000")
    propose(jury, jury.projects[1], amount="1000")

    proposal.refresh_from_db()
    assert (proposal.decision, proposal.amount) == (Decision.NOT_SELECTED, D("0.00"))


def test_proposal_save_update_does_not_double_count():
    jury = jury_session(projects=2, budget_envelope=D("10000"))
    propose(jury, jury.projects[0], amount="6000")

    propose(jury, jury.projects[0], amount="9000", text="Montant revu")

    assert list(Proposal.objects.values_list("amount", "justification")) == [
        (D("9000.00"), "Montant revu")
    ]
    with pytest.raises(JuryRefused) as excinfo:
        propose(jury, jury.projects[1], amount="1500")
    assert list(message_dict(excinfo)) == ["amount"]

    # Turning the first into "not selected" frees its amount.
    propose(jury, jury.projects[0], decision=Decision.NOT_SELECTED, amount="0")
    propose(jury, jury.projects[1], amount="10000")
    assert sorted(Proposal.objects.values_list("amount", flat=True)) == [
        D("0.00"),
        D("10000.00"),
    ]


def test_session_edition_is_fixed_once_projects_are_placed(db):
    from tests.submissions.factories import EditionFactory

    jury = jury_session(projects=1, jurors=1, opened=False)
    session = jury.session
    session.edition = EditionFactory(year=2031)

    with pytest.raises(services.JuryRefused) as refused:
        services.session_save(session=session, actor=jury.coordinator)

    assert refused.value.message_dict == {
        "edition": ["Des projets sont déjà placés dans cette séance : son édition ne change plus."]
    }


def test_a_double_click_on_create_session_makes_one(client, db):
    from django.urls import reverse

    from jury.models import JurySession
    from tests.factories import UserFactory
    from tests.submissions.factories import EditionFactory

    edition = EditionFactory(year=2032)
    client.force_login(UserFactory(coordinator=True))
    data = {
        "edition": edition.pk,
        "title": "Séance unique",
        "starts_at": "2032-06-20T14:00",
        "place": "Vitry",
        "video_url": "",
        "president": "",
        "submission_key": "1c0ffee0-0000-4000-8000-000000000001",
    }

    client.post(reverse("jury:session_create"), data)
    client.post(reverse("jury:session_create"), data)

    assert JurySession.objects.filter(title="Séance unique").count() == 1


def test_a_refused_proposal_is_shown_again_with_what_was_typed(client, db):
    from django.urls import reverse

    jury = jury_session(projects=1, jurors=1, budget_envelope=Decimal("1000"))
    project = jury.projects[0]
    client.force_login(jury.coordinator)
    prefix = f"projet-{project.pk}"

    response = client.post(
        reverse("jury:proposal_save", args=[jury.session.pk, project.pk]),
        {
            f"{prefix}-decision": "laureate",
            f"{prefix}-amount": "5000",
            f"{prefix}-justification": "Un projet remarquable, porté par les habitants.",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "au-delà de l&#x27;enveloppe de l&#x27;édition (1\u00a0000,00 €)" in html
    assert "Un projet remarquable, porté par les habitants." in html
    assert jury.session.proposals.count() == 0


def test_publication_applies_the_proposals_and_opens_the_feedback(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    from jury import selectors
    from notifications.models import Mailing
    from submissions.models import Project
    from tests.factories import member_of

    jury = jury_session(projects=2, jurors=1)
    laureate, other = jury.projects
    for member in jury.members:
        submit_all(member, laureate, "4")
        submit_all(member, other, "2")
    member_of_association = member_of(laureate.association)
    propose(jury, laureate, amount="2500", text="Un projet porté par les habitants.")
    propose(jury, other, decision=Decision.NOT_SELECTED, amount="0", text="Budget à consolider.")
    services.session_close(
        session=jury.session, actor=jury.president.user, present_ids=everyone_present(jury.session)
    )
    assert selectors.feedback_for(member_of_association, laureate.pk) is None

    with django_capture_on_commit_callbacks(execute=True):
        told = services.results_publish(edition=jury.edition, actor=jury.coordinator)

    assert told == len({laureate.association_id, other.association_id})
    states = dict(Project.objects.filter(pk__in=[laureate.pk, other.pk]).values_list("pk", "state"))
    assert states == {laureate.pk: "laureate", other.pk: "not_selected"}
    jury.edition.refresh_from_db()
    assert jury.edition.results_published_at is not None
    # The associations' results wait in the outbox, for the coordination to read and send.
    assert not any("Résultats" in mail.subject for mail in mailoutbox)
    mailing = Mailing.objects.get()
    assert (mailing.kind, mailing.state, mailing.title) == (
        "results",
        "draft",
        f"Résultats de l'édition {jury.edition.year}",
    )
    message = mailing.messages.get(email=member_of_association.email)
    assert "Félicitations : le projet" in message.text
    assert message.link == f"/espace/jury/retours/{laureate.pk}/"
    feedback = selectors.feedback_for(member_of_association, laureate.pk)
    assert feedback["proposal"].justification == "Un projet porté par les habitants."
    assert [mean for _criterion, mean in feedback["criteria"]] == [D("4")] * len(jury.criteria)
    with pytest.raises(services.JuryRefused):
        services.results_publish(edition=jury.edition, actor=jury.coordinator)


def test_a_new_edition_starts_with_the_previous_edition_grid(
    db, django_capture_on_commit_callbacks
):
    from tests.submissions.factories import EditionFactory

    previous = EditionFactory(year=2040)
    services.criteria_initialise(edition=previous, actor=UserFactory(coordinator=True))
    previous.criteria.filter(position=0).update(label="Innovation sociale", weight=D("4"))

    with django_capture_on_commit_callbacks(execute=True):
        new = EditionFactory(year=2041)

    assert list(new.criteria.values_list("label", "weight", "scale_max", "position")) == list(
        previous.criteria.values_list("label", "weight", "scale_max", "position")
    )
