"""The jury's lifecycles write the portal's one event log (core.workflow)."""

import pytest

from core.models import Event
from jury import services
from jury.enums import Decision, EvaluationState, SessionState
from jury.workflows import EVALUATION, SESSION, may_deliberate
from tests.jury.factories import everyone_present, jury_session
from tests.jury.test_services import declare, save, scores

pytestmark = pytest.mark.django_db


def _log(obj) -> list[tuple]:
    return [
        (event.workflow, event.action, event.from_state, event.to_state, event.actor)
        for event in Event.objects.for_object(obj)
    ]


def test_opening_and_closing_a_session_are_logged_with_who_did_it():
    jury = jury_session(projects=1, jurors=1)
    services.proposal_save(
        session=jury.session,
        project=jury.projects[0],
        actor=jury.coordinator,
        decision=Decision.NOT_SELECTED,
        amount=0,
        justification="Trop tôt.",
    )
    president = jury.president.user

    closed = services.session_close(
        session=jury.session, actor=president, present_ids=everyone_present(jury.session)
    )

    assert closed.is_closed and closed.closed_at is not None
    assert _log(jury.session) == [
        ("jury-session", "open", SessionState.PLANNED, SessionState.OPEN, jury.coordinator),
        ("jury-session", "close", SessionState.OPEN, SessionState.CLOSED, president),
    ]
    # The closed session's label is the jury's « Close », not Django's « Fermer ».
    assert closed.get_state_display() == "Close"


def test_the_deliberation_rule_and_the_close_button_read_the_session_workflow():
    jury = jury_session(projects=1, jurors=1)
    juror, president = jury.jurors[0].user, jury.president.user

    assert may_deliberate(jury.coordinator, jury.session) is True
    assert may_deliberate(president, jury.session) is True
    assert may_deliberate(juror, jury.session) is False
    assert president.has_perm("jury.deliberate", jury.session) is True
    assert juror.has_perm("jury.deliberate", jury.session) is False
    assert SESSION.allows(jury.session, president, "close") is True
    assert SESSION.allows(jury.session, president, "open") is False
    assert SESSION.refusal(jury.session, juror, "close") == (
        "Seuls le président du jury et la coordination closent la séance."
    )


def test_a_refused_opening_writes_nothing():
    jury = jury_session(projects=0, jurors=1, opened=False)

    with pytest.raises(services.JuryRefused):
        services.session_open(session=jury.session, actor=jury.coordinator)

    jury.session.refresh_from_db()
    assert jury.session.is_planned
    assert _log(jury.session) == []


def test_a_submission_is_a_transition_and_an_amendment_is_recorded_with_its_changes():
    jury = jury_session(projects=1, jurors=1)
    juror, project = jury.jurors[0], jury.projects[0]
    declare(juror, project)
    draft = save(juror, project, ["4"] * 5, general_comment="Bien.")
    assert _log(draft) == []

    submitted = save(juror, project, ["4"] * 5, general_comment="Bien.", submit=True, version=2)
    services.evaluation_amend(
        member=juror,
        project=project,
        scores=scores(jury.criteria, ["4", "4", "4", "4", "2"]),
        general_comment="Bien.",
        reason="Erreur de saisie.",
        version=submitted.version,
    )

    assert submitted.is_submitted and submitted.submitted_at is not None
    events = list(Event.objects.for_object(submitted))
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        ("submit", EvaluationState.DRAFT, EvaluationState.SUBMITTED, juror.user),
        ("amend", EvaluationState.SUBMITTED, EvaluationState.SUBMITTED, juror.user),
    ]
    last = str(jury.criteria[4].pk)
    assert events[1].reason == "Erreur de saisie."
    assert events[1].changes == {
        f"score:{last}": [{"value": "4.0", "comment": ""}, {"value": "2.0", "comment": ""}]
    }
    assert EVALUATION.allows(submitted, juror.user, "submit") is False
