"""Conflict declarations and evaluations: drafts, submissions, amendments."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from core.stale import StaleWrite
from core.workflow import record, transition
from jury.enums import EvaluationState, SessionState
from jury.models import (
    ConflictDeclaration,
    Criterion,
    Evaluation,
    EvaluationAmendment,
    JuryMember,
    JurySession,
    Score,
)
from jury.services._common import NO_EVALUATION_YET, JuryRefused
from jury.workflows import AMEND, EVALUATION
from submissions.models import Project


def _member_project_or_refuse(member: JuryMember, project: Project) -> None:
    if not member.session.auditions.filter(project=project).exists():
        raise JuryRefused("Ce projet ne passe pas devant votre séance.")


@transaction.atomic
def declaration_save(
    *, member: JuryMember, project: Project, has_conflict: bool, reason: str
) -> ConflictDeclaration:
    _member_project_or_refuse(member, project)
    state = JurySession.objects.values_list("state", flat=True).get(pk=member.session_id)
    if state == SessionState.CLOSED:
        raise JuryRefused("Cette séance est close.")
    reason = reason.strip()
    if has_conflict and not reason:
        raise JuryRefused({"reason": "Indiquez la nature du conflit d'intérêts."})
    if (
        has_conflict
        and member.evaluations.filter(project=project, state=EvaluationState.SUBMITTED).exists()
    ):
        raise JuryRefused("Vous avez déjà soumis votre évaluation de ce projet.")
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        member=member,
        project=project,
        defaults={"has_conflict": has_conflict, "reason": reason if has_conflict else ""},
    )
    if has_conflict:
        # A conflicted juror's draft is withdrawn: it must weigh nothing.
        member.evaluations.filter(project=project, state=EvaluationState.DRAFT).delete()
    return declaration


def may_score(member: JuryMember, project: Project) -> bool:
    """Whether the member declared no conflict for the project (and so may score it).

    A project read by ``selectors.project_for_member`` for this member carries the
    answer (``free_of_conflict_for``): no second query.
    """
    if getattr(project, "free_of_conflict_for", None) == member.pk:
        return True
    return ConflictDeclaration.objects.filter(
        member=member, project=project, has_conflict=False
    ).exists()


def _parse_scores(evaluation: Evaluation, raw: dict[int, dict], *, complete: bool) -> dict:
    """Check the scores against the edition's grid; return {criterion: (value, comment)}."""
    criteria = {c.pk: c for c in evaluation.member.session.edition.criteria.all()}
    errors: dict[str, str] = {}
    parsed: dict[Criterion, tuple[Decimal | None, str]] = {}
    for criterion_id in raw:
        if criterion_id not in criteria:
            raise JuryRefused("Ce critère n'appartient pas à la grille de l'édition.")
    for criterion_id, criterion in criteria.items():
        entry = raw.get(criterion_id, {})
        given = entry.get("value")
        # 0 is a score: only None and blank mean "not scored yet".
        text = ("" if given is None else str(given)).strip().replace(",", ".")
        comment = str(entry.get("comment") or "").strip()
        if not text:
            if complete:
                errors[f"score_{criterion_id}"] = "Notez ce critère avant de soumettre."
            parsed[criterion] = (None, comment)
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            # "NaN" and "Infinity" parse as Decimals but are not scores.
            errors[f"score_{criterion_id}"] = "La note est un nombre."
            continue
        if not (0 <= value <= criterion.scale_max) or value != value.quantize(Decimal("0.1")):
            errors[f"score_{criterion_id}"] = (
                f"La note va de 0 à {criterion.scale_max} (une décimale au plus)."
            )
            continue
        parsed[criterion] = (value, comment)
    if errors:
        raise JuryRefused(errors)
    return parsed


def _scores_as_data(evaluation: Evaluation) -> dict:
    return {
        "general_comment": evaluation.general_comment,
        "scores": {
            str(score.criterion_id): {"value": str(score.value), "comment": score.comment}
            for score in evaluation.scores.all()
        },
    }


def _write_scores(evaluation: Evaluation, parsed: dict) -> None:
    for criterion, (value, comment) in parsed.items():
        if value is None:
            evaluation.scores.filter(criterion=criterion).delete()
            continue
        Score.objects.update_or_create(
            evaluation=evaluation,
            criterion=criterion,
            defaults={"value": value, "comment": comment},
        )


def _locked_evaluation(member: JuryMember, project: Project, version: int | None) -> Evaluation:
    _member_project_or_refuse(member, project)
    # Read the state afresh: the session may have been opened or closed meanwhile.
    state = JurySession.objects.values_list("state", flat=True).get(pk=member.session_id)
    if state != SessionState.OPEN:
        raise JuryRefused("Les évaluations de cette séance ne sont pas ouvertes.")
    if not may_score(member, project):
        raise JuryRefused("Déclarez d'abord l'absence de conflit d'intérêts pour ce projet.")
    evaluation, created = Evaluation.objects.get_or_create(member=member, project=project)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    # A form served before the first save carries version 0: "no row yet".
    saved_version = NO_EVALUATION_YET if created else evaluation.version
    if version is not None and saved_version != version:
        raise StaleWrite(
            (
                "Cette évaluation a été enregistrée depuis un autre onglet ou appareil. "
                "Vos notes sont conservées : comparez-les avec la version enregistrée, "
                "puis choisissez."
            ),
            code="stale",
        )
    return evaluation


@transaction.atomic
def evaluation_save(
    *,
    member: JuryMember,
    project: Project,
    scores: dict[int, dict],
    general_comment: str,
    version: int | None,
    submit: bool = False,
) -> Evaluation:
    """Save a draft, or submit it: a submitted evaluation is locked."""
    evaluation = _locked_evaluation(member, project, version)
    if evaluation.is_submitted:
        raise JuryRefused(EVALUATION["submit"].refused_state, code="locked")
    parsed = _parse_scores(evaluation, scores, complete=submit)
    _write_scores(evaluation, parsed)
    evaluation.general_comment = general_comment.strip()
    evaluation.version += 1
    evaluation.save(update_fields=["general_comment", "version", "updated_at"])
    if submit:
        evaluation = transition(EVALUATION, evaluation, "submit", actor=member.user)
    return evaluation


@transaction.atomic
def evaluation_amend(
    *,
    member: JuryMember,
    project: Project,
    scores: dict[int, dict],
    general_comment: str,
    reason: str,
    version: int | None,
) -> Evaluation:
    """Change a submitted evaluation; the before and after are kept with the reason."""
    evaluation = _locked_evaluation(member, project, version)
    if not evaluation.is_submitted:
        raise JuryRefused("Seule une évaluation soumise se modifie par amendement.")
    if not reason.strip():
        raise JuryRefused({"reason": "Indiquez le motif de la modification."})
    before = _scores_as_data(evaluation)
    parsed = _parse_scores(evaluation, scores, complete=True)
    _write_scores(evaluation, parsed)
    evaluation.general_comment = general_comment.strip()
    evaluation.version += 1
    evaluation.save(update_fields=["general_comment", "version", "updated_at"])
    after = _scores_as_data(evaluation)
    # The amendment is the jury's content (the results page and the minutes show it); the
    # event log keeps the same change in the portal's one history.
    EvaluationAmendment.objects.create(
        evaluation=evaluation,
        author=member.user,
        reason=reason.strip(),
        before=before,
        after=after,
    )
    record(
        EVALUATION,
        evaluation,
        AMEND,
        actor=member.user,
        reason=reason.strip(),
        changes=_changes(before, after),
    )
    return evaluation


def _changes(before: dict, after: dict) -> dict:
    """{"general_comment": [before, after], "score:<criterion id>": [before, after]}, changed only."""
    changes = {}
    if before["general_comment"] != after["general_comment"]:
        changes["general_comment"] = [before["general_comment"], after["general_comment"]]
    for criterion_id in sorted({*before["scores"], *after["scores"]}, key=int):
        old, new = before["scores"].get(criterion_id), after["scores"].get(criterion_id)
        if old != new:
            changes[f"score:{criterion_id}"] = [old, new]
    return changes


@transaction.atomic
def declarations_save(*, member: JuryMember, entries: list[tuple[Project, bool, str]]) -> None:
    """Save every declaration of the form at once, or none."""
    for project, has_conflict, reason in entries:
        declaration_save(member=member, project=project, has_conflict=has_conflict, reason=reason)
