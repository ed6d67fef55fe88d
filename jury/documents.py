"""Documents of a session: the scores export and the minutes (procès-verbal)."""

from django.utils import timezone

from core.pdf import render_pdf
from jury import selectors
from jury.enums import EvaluationState
from jury.models import ConflictDeclaration, Evaluation, JurySession


def scores_table(session: JurySession) -> tuple[list[str], list[list]]:
    """One row per submitted evaluation: who scored what and why, criterion by criterion."""
    criteria = selectors.criteria_of(session.edition)
    header = [
        "Ordre",
        "Projet",
        "Association",
        "Juré",
        "Qualité",
        *[
            heading
            for c in criteria
            for heading in (
                f"{c.label} (sur {c.scale_max}, poids {c.weight})",
                f"Commentaire — {c.label}",
            )
        ],
        "Total pondéré (sur 100)",
        "Commentaire général",
        "Soumise le",
    ]
    order = {a.project_id: a.position + 1 for a in session.auditions.all()}
    evaluations = (
        Evaluation.objects.filter(member__session=session, state=EvaluationState.SUBMITTED)
        .select_related("member__user", "project__association")
        .prefetch_related("scores")
        .order_by("project__title", "member__user__last_name")
    )
    rows = []
    for evaluation in evaluations:
        scores = {score.criterion_id: score for score in evaluation.scores.all()}
        rows.append(
            [
                order.get(evaluation.project_id),
                evaluation.project.title,
                evaluation.project.association.name,
                evaluation.member.user.get_full_name(),
                evaluation.member.get_quality_display(),
                *[
                    cell
                    for c in criteria
                    for cell in (
                        scores[c.pk].value if c.pk in scores else None,
                        scores[c.pk].comment if c.pk in scores else "",
                    )
                ],
                selectors.evaluation_total(evaluation, criteria),
                evaluation.general_comment,
                evaluation.submitted_at,
            ]
        )
    return header, rows


def minutes_context(session: JurySession) -> dict:
    members = list(session.members.select_related("user"))
    recusals = list(
        ConflictDeclaration.objects.filter(member__session=session, has_conflict=True)
        .select_related("member__user", "project")
        .order_by("project__title")
    )
    proposals = {p.project_id: p for p in selectors.session_proposals(session)}
    results = selectors.session_results(session)
    return {
        "session": session,
        "present": [m for m in members if m.present],
        "absent": [m for m in members if not m.present],
        "recusals": recusals,
        "ranking": results["ranking"],
        "proposals": proposals,
        "total_amount": sum(p.amount for p in proposals.values()),
        "amendments": selectors.session_amendments(session),
        "generated_at": timezone.now(),
    }


def minutes_pdf(session: JurySession) -> bytes:
    return render_pdf("jury/pdf/minutes.html", minutes_context(session))
