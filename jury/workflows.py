"""The jury stage's lifecycles on the portal's one workflow engine (``core.workflow``).

A jury session goes from « En préparation » to « Évaluations ouvertes » to
« Close »; a juror's evaluation from draft to submitted (an amendment after
that is recorded, not a transition). The PDF documents (dossier, minutes) are
core.files kinds, on that module's workflow. Every change of state goes through ``transition()``, which writes the
event log; the services add what is not a state (the attendance, the scores).
"""

from django.utils import timezone

from accounts.rules import is_coordinator
from core.workflow import Transition, TransitionRefused, Workflow
from jury.enums import EvaluationState, SessionState
from jury.models import Criterion, Evaluation, JurySession, Proposal
from submissions.enums import ProjectState


class JuryRefused(TransitionRefused):
    """A jury action the rules do not allow."""


# --- Jury sessions -------------------------------------------------------------------------

COORDINATOR = "coordinator"
PRESIDENT = "president"
# The president and the coordination lead the deliberation and close the session.
DELIBERATORS = frozenset({COORDINATOR, PRESIDENT})


def session_roles(user, session: JurySession) -> set[str]:
    roles = set()
    if user is not None and is_coordinator(user):
        roles.add(COORDINATOR)
    if session is not None and user.is_authenticated and session.president_id == user.pk:
        roles.add(PRESIDENT)
    return roles


def may_deliberate(user, session: JurySession) -> bool:
    """The rule behind ``jury.deliberate`` and the deliberation services."""
    return bool(session_roles(user, session) & DELIBERATORS)


def _ready_to_open(session: JurySession, actor, reason: str) -> list[str]:
    if not Criterion.objects.filter(edition_id=session.edition_id).exists():
        raise JuryRefused("Préparez d'abord la grille de critères de l'édition.")
    if not session.auditions.exists():
        raise JuryRefused("Placez d'abord au moins un projet dans la séance.")
    return []


def require_proposals(session: JurySession) -> None:
    """Every project still shortlisted has the jury's proposal (a withdrawn one needs none)."""
    missing = [
        audition.project.title
        for audition in session.auditions.select_related("project")
        if audition.project.state == ProjectState.SHORTLISTED
        and not session.proposals.filter(project=audition.project).exists()
    ]
    if missing:
        raise JuryRefused(
            "Il manque la proposition du jury pour : {titles}.".format(titles=", ".join(missing))
        )


def _ready_to_close(session: JurySession, actor, reason: str) -> list[str]:
    require_proposals(session)
    session.closed_at = timezone.now()
    return ["closed_at"]


SESSION = Workflow(
    name="jury-session",
    model=JurySession,
    roles_of=session_roles,
    refused=JuryRefused,
    transitions=[
        Transition(
            "open",
            "Ouvrir les évaluations",
            sources={SessionState.PLANNED},
            target=SessionState.OPEN,
            actors={COORDINATOR},
            check=_ready_to_open,
            success="Les jurés peuvent maintenant évaluer.",
            refused_state="Seule une séance en préparation peut être ouverte.",
            refused_actor="Seule la coordination prépare le jury.",
        ),
        Transition(
            "close",
            "Clore la séance",
            sources={SessionState.OPEN},
            target=SessionState.CLOSED,
            actors=DELIBERATORS,
            check=_ready_to_close,
            success="Séance close. Les propositions, les notes et les présences sont définitives.",
            # The confirmation page (with the attendance) is the deliberation view's.
            button="danger",
            refused_state="Seule une séance ouverte peut être close.",
            refused_actor="Seuls le président du jury et la coordination closent la séance.",
        ),
    ],
)


def close_refusal(user, session: JurySession) -> None:
    """Raise JuryRefused when ``user`` cannot close ``session`` now (before asking to confirm)."""
    if refusal := SESSION.refusal(session, user, "close"):
        raise JuryRefused(refusal, code="state")
    require_proposals(session)


# --- Evaluations ---------------------------------------------------------------------------

JUROR = "juror"


def _evaluation_roles(user, evaluation: Evaluation) -> set[str]:
    return {JUROR} if evaluation.member.user_id == user.pk else set()


def _stamp_submission(evaluation: Evaluation, actor, reason: str) -> list[str]:
    evaluation.submitted_at = timezone.now()
    return ["submitted_at"]


EVALUATION = Workflow(
    name="jury-evaluation",
    model=Evaluation,
    roles_of=_evaluation_roles,
    refused=JuryRefused,
    transitions=[
        Transition(
            "submit",
            "Soumettre l'évaluation",
            sources={EvaluationState.DRAFT},
            target=EvaluationState.SUBMITTED,
            actors={JUROR},
            check=_stamp_submission,
            refused_state="Cette évaluation est soumise : modifiez-la par un amendement motivé.",
        ),
    ],
)
# Not a transition: a submitted evaluation changed with a reason (``record()``).
AMEND = "amend"

# The jury's proposal for a project (laureate or not, the amount): no state, but each
# decision and each change of it goes to the event log (``record()``), before and after.
PROPOSAL = Workflow(name="jury-proposal", model=Proposal, transitions=[], state_field="")
DECIDE = "decide"
