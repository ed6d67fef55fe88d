"""Documents of a session: the scores export and the minutes (procès-verbal)."""

import hashlib
import json
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from core import files
from core.models import BackgroundFile
from core.pdf import render_pdf
from jury import selectors
from jury.enums import EvaluationState
from jury.models import ConflictDeclaration, Evaluation, EvaluationAmendment, JurySession


def scores_table(session: JurySession) -> tuple[list[str], list[list]]:
    """One row per submitted evaluation: who scored what and why, criterion by criterion."""
    criteria = selectors.session_criteria(session)
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


# --- The minutes, a file built in the background (core.files) -----------------------------

MINUTES = "jury-minutes"
# Minutes nobody asks for again are deleted after this (the daily job of core.files).
MINUTES_KEEP = timedelta(days=30)


def minutes_source_hash(session: JurySession) -> str:
    """Changes when anything the minutes show changes: the session, its jurors and their
    attendance, the recusals, the scores, the proposals, the amendments, the projects."""
    session = JurySession.objects.select_related("edition").get(pk=session.pk)
    members = list(
        session.members.order_by("pk").values_list(
            "pk", "present", "quality", "user__first_name", "user__last_name"
        )
    )

    def latest(queryset, field: str) -> list:
        figures = queryset.order_by().aggregate(count=Count("pk"), latest=Max(field))
        return [figures["count"], figures["latest"]]

    parts = [
        session.pk,
        session.title,
        session.starts_at,
        session.place,
        session.state,
        session.closed_at,
        session.president_id,
        session.edition.budget_envelope,
        members,
        latest(ConflictDeclaration.objects.filter(member__session=session), "declared_at"),
        latest(Evaluation.objects.filter(member__session=session), "updated_at"),
        latest(
            EvaluationAmendment.objects.filter(evaluation__member__session=session), "created_at"
        ),
        latest(session.proposals.all(), "recorded_at"),
        latest(session.auditions.all(), "project__updated_at"),
        [(c.pk, c.label, c.weight, c.scale_max) for c in selectors.session_criteria(session)],
    ]
    text = json.dumps(parts, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def minutes_request(*, session: JurySession, user) -> BackgroundFile:
    """Return the minutes of what the session shows now, queueing them when needed."""
    # Two people asking at once: one file (the second waits here).
    JurySession.objects.select_for_update().filter(pk=session.pk).exists()
    row, _created = files.request_file(
        owner=user,
        kind=MINUTES,
        title=f"Procès-verbal — {session.title}",
        parameters={"session": session.pk},
        total=2,
        keep=MINUTES_KEEP,
        source_hash=minutes_source_hash(session),
    )
    return row


def minutes_current(*, session: JurySession) -> BackgroundFile | None:
    """The minutes of what the session shows now (any state), or None."""
    return files.current_file(
        kind=MINUTES, parameters={"session": session.pk}, source_hash=minutes_source_hash(session)
    )


def build_minutes(row: BackgroundFile, progress: files.Progress) -> files.Built:
    session = JurySession.objects.select_related("edition", "president").get(
        pk=row.parameters["session"]
    )
    progress(0, 2)
    context = minutes_context(session)
    progress(1)
    content = render_pdf("jury/pdf/minutes.html", context)
    return files.Built(
        content=content,
        filename=f"proces-verbal-jury-{session.edition.year}-{session.pk}.pdf",
        content_type="application/pdf",
    )


def register() -> None:
    files.register(MINUTES, build_minutes)
