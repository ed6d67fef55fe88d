"""The workflow engine on a lifecycle declared here, over a real model (Edition)."""

import pytest
from django.core.exceptions import ValidationError

from core.models import Event
from core.workflow import Transition, TransitionRefused, Workflow, record, transition
from submissions.enums import EditionState
from submissions.models import Edition
from tests.factories import UserFactory
from tests.submissions.factories import EditionFactory

S = EditionState
told = []


def _refuse_when_titled_closed(edition, actor, reason):
    if edition.title == "fermée":
        raise TransitionRefused("Le titre interdit l'ouverture.")
    edition.title = edition.title.upper()
    return ["title"]


def _tell(edition, actor, event):
    told.append((edition.pk, event.action))


FLOW = Workflow(
    name="edition-test",
    model=Edition,
    roles_of=lambda user, edition: {"coordinator"} if user.is_coordinator else set(),
    transitions=[
        Transition(
            "open",
            "Ouvrir",
            sources={S.PREPARING},
            target=S.OPEN,
            actors={"coordinator"},
            check=_refuse_when_titled_closed,
            notify=_tell,
        ),
        Transition(
            "close",
            "Clore",
            sources={S.OPEN},
            target=S.CLOSED,
            actors={"coordinator"},
            needs_reason=True,
        ),
        Transition("archive", "Archiver", sources={S.CLOSED}, target=S.ARCHIVED, internal=True),
    ],
)


@pytest.fixture
def coordinator(db):
    return UserFactory(coordinator=True)


def test_a_transition_saves_the_state_the_check_fields_and_one_event(
    coordinator, django_capture_on_commit_callbacks
):
    told.clear()
    edition = EditionFactory(title="édition")

    with django_capture_on_commit_callbacks(execute=True):
        saved = transition(FLOW, edition, "open", actor=coordinator)

    edition.refresh_from_db()
    assert (saved.state, edition.state, edition.title) == (S.OPEN, S.OPEN, "ÉDITION")
    event = Event.objects.for_object(edition).get()
    assert (event.workflow, event.action, event.from_state, event.to_state, event.actor) == (
        "edition-test",
        "open",
        S.PREPARING,
        S.OPEN,
        coordinator,
    )
    assert event.is_transition is True
    assert told == [(edition.pk, "open")]


@pytest.mark.parametrize(
    ("state", "actor_kind", "code"),
    [(S.OPEN, "coordinator", "state"), (S.PREPARING, "member", "actor")],
)
def test_a_refused_transition_changes_nothing(db, state, actor_kind, code):
    edition = EditionFactory(state=state)
    actor = UserFactory(coordinator=actor_kind == "coordinator")

    with pytest.raises(TransitionRefused) as refused:
        transition(FLOW, edition, "open", actor=actor)

    assert refused.value.code == code
    edition.refresh_from_db()
    assert edition.state == state
    assert Event.objects.count() == 0


def test_a_check_refuses_in_french_and_nothing_is_saved(coordinator):
    edition = EditionFactory(title="fermée")

    with pytest.raises(TransitionRefused) as refused:
        transition(FLOW, edition, "open", actor=coordinator)

    assert refused.value.messages == ["Le titre interdit l'ouverture."]
    edition.refresh_from_db()
    assert (edition.state, Event.objects.count()) == (S.PREPARING, 0)


def test_a_reason_is_required_when_the_transition_says_so(coordinator):
    edition = EditionFactory(state=S.OPEN)

    with pytest.raises(ValidationError) as refused:
        transition(FLOW, edition, "close", actor=coordinator, reason="   ")

    assert refused.value.message_dict == {"reason": ["Indiquez le motif."]}
    transition(FLOW, edition, "close", actor=coordinator, reason="Fin des dépôts.")
    assert Event.objects.for_object(edition).get().reason == "Fin des dépôts."


def test_an_internal_transition_is_not_offered_nor_taken_from_a_page(coordinator):
    edition = EditionFactory(state=S.CLOSED)

    assert [t.name for t in FLOW.available(edition, coordinator)] == []
    with pytest.raises(TransitionRefused):
        transition(FLOW, edition, "archive", actor=coordinator)
    transition(FLOW, edition, "archive", actor=None, internal=True)
    edition.refresh_from_db()
    assert edition.state == S.ARCHIVED


def test_buttons_and_rules_read_the_same_table(coordinator):
    edition = EditionFactory()
    member = UserFactory()

    assert [t.name for t in FLOW.available(edition, coordinator)] == ["open"]
    assert FLOW.allows(edition, coordinator, "open") is True
    assert FLOW.allows(edition, member, "open") is False
    assert FLOW.allows(edition, coordinator, "close") is False
    assert FLOW.allows(edition, coordinator, "unknown") is False


def test_record_keeps_an_action_that_changes_no_state(coordinator):
    edition = EditionFactory()

    event = record(FLOW, edition, "renamed", actor=coordinator, changes={"title": ["a", "b"]})

    assert (event.from_state, event.to_state, event.is_transition) == (
        S.PREPARING,
        S.PREPARING,
        False,
    )
    assert event.changes == {"title": ["a", "b"]}
    assert list(Event.objects.for_object(edition)) == [event]


def test_a_workflow_refuses_a_name_used_twice():
    with pytest.raises(ValueError, match="used twice"):
        Workflow(
            name="x",
            model=Edition,
            transitions=[Transition("a", "A", {"s"}, "t"), Transition("a", "B", {"t"}, "s")],
        )


class StageRefused(TransitionRefused):
    """A stage's own refusal, as the jury's JuryRefused."""


WORDED = Workflow(
    name="edition-worded",
    model=Edition,
    roles_of=lambda user, edition: {"coordinator"} if user.is_coordinator else set(),
    refused=StageRefused,
    transitions=[
        Transition(
            "open",
            "Ouvrir",
            sources={S.PREPARING},
            target=S.OPEN,
            actors={"coordinator"},
            refused_state="Seule une édition en préparation s'ouvre.",
            refused_actor="Seule la coordination ouvre une édition.",
        ),
    ],
)


@pytest.mark.parametrize(
    ("state", "actor_kind", "message"),
    [
        (S.OPEN, "coordinator", "Seule une édition en préparation s'ouvre."),
        (S.PREPARING, "member", "Seule la coordination ouvre une édition."),
    ],
)
def test_a_transition_refuses_in_its_own_words_with_the_stage_exception(
    db, state, actor_kind, message
):
    edition = EditionFactory(state=state)
    actor = UserFactory(coordinator=actor_kind == "coordinator")

    with pytest.raises(StageRefused) as refused:
        transition(WORDED, edition, "open", actor=actor)

    assert refused.value.messages == [message]
    # The buttons and the rules read the same words.
    assert WORDED.refusal(edition, actor, "open") == message
    assert Event.objects.count() == 0


def test_a_workflow_says_its_refusals_in_its_own_words(coordinator):
    worded = Workflow(
        name="edition-worded",
        model=Edition,
        roles_of=FLOW.roles_of,
        transitions=FLOW.transitions,
        state_refusal="Impossible : l'édition est « %(state)s ».",
        internal_refusal="Cela se fait ailleurs.",
        reason_field="comment",
    )
    edition = EditionFactory(state=S.OPEN)

    assert worded.refusal(edition, coordinator, "open") == (
        "Impossible : l'édition est « Ouverte au dépôt »."
    )
    with pytest.raises(TransitionRefused) as internal:
        worded.check(EditionFactory(state=S.CLOSED), coordinator, "archive")
    assert (internal.value.code, internal.value.messages) == (
        "internal",
        ["Cela se fait ailleurs."],
    )
    with pytest.raises(TransitionRefused) as no_reason:
        transition(worded, edition, "close", actor=coordinator)
    assert no_reason.value.message_dict == {"comment": ["Indiquez le motif."]}


def test_the_check_reads_the_locked_row_not_the_callers_copy(coordinator):
    edition = EditionFactory()
    stale = Edition.objects.get(pk=edition.pk)
    transition(FLOW, edition, "open", actor=coordinator)

    with pytest.raises(TransitionRefused) as refused:
        transition(FLOW, stale, "open", actor=coordinator)

    assert refused.value.code == "state"
    assert Event.objects.for_object(edition).count() == 1


def test_a_notification_runs_in_the_callers_context(
    coordinator, django_capture_on_commit_callbacks
):
    import contextvars

    flag = contextvars.ContextVar("flag", default="dehors")
    seen = []
    flow = Workflow(
        name="edition-context",
        model=Edition,
        transitions=[
            Transition(
                "open",
                "Ouvrir",
                sources={S.PREPARING},
                target=S.OPEN,
                notify=lambda edition, actor, event: seen.append(flag.get()),
            )
        ],
    )
    token = flag.set("dedans")
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            transition(flow, EditionFactory(), "open", actor=coordinator)
    finally:
        flag.reset(token)

    for callback in callbacks:
        callback()
    assert seen == ["dedans"]
