"""Writes of the jury stage: grid, sessions, auditions, declarations, scores, proposals."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from core.formats import euros
from core.links import absolute_url
from core.mail import send_mail_on_commit
from core.once import already_created, save_once
from core.permissions import allowed
from core.stale import StaleWrite
from jury import convocations
from jury.enums import DEFAULT_CRITERIA, Decision, EvaluationState, SessionState
from jury.models import (
    Audition,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    EvaluationAmendment,
    JuryMember,
    JurySession,
    Proposal,
    Score,
)
from submissions import services as submission_services
from submissions.enums import ProjectState
from submissions.models import Edition, Project


class JuryRefused(ValidationError):
    """A jury action the rules do not allow."""


# The version an evaluation form carries when no evaluation is saved yet.
NO_EVALUATION_YET = 0


def _require_coordinator(actor: User) -> None:
    if not allowed(actor, "jury.prepare"):
        raise JuryRefused(_("Seule la coordination prépare le jury."))


# --- The grid ------------------------------------------------------------------------------


def grid_is_frozen(edition: Edition) -> bool:
    """The grid stops changing once a juror has submitted an evaluation or a session closed."""
    return (
        Evaluation.objects.filter(
            member__session__edition=edition, submitted_at__isnull=False
        ).exists()
        or edition.jury_sessions.filter(state=SessionState.CLOSED).exists()
    )


def _require_grid_open(edition: Edition) -> None:
    if edition.jury_sessions.filter(state=SessionState.CLOSED).exists():
        raise JuryRefused(_("La grille est figée : une séance de cette édition est close."))
    if grid_is_frozen(edition):
        raise JuryRefused(
            _("La grille est figée : une évaluation a déjà été soumise pour cette édition.")
        )


@transaction.atomic
def criteria_initialise(*, edition: Edition, actor: User) -> list[Criterion]:
    """Give an edition without grid the previous edition's grid, or the default one."""
    _require_coordinator(actor)
    return criteria_copy_for(edition)


@transaction.atomic
def criteria_copy_for(edition: Edition) -> list[Criterion]:
    """Copy the grid into a new edition (also run when an edition is created)."""
    Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.criteria.exists():
        return list(edition.criteria.all())
    previous = (
        Edition.objects.filter(year__lt=edition.year, criteria__isnull=False)
        .order_by("-year")
        .first()
    )
    if previous is not None:
        rows = [
            Criterion(
                edition=edition,
                label=c.label,
                guidance=c.guidance,
                weight=c.weight,
                scale_max=c.scale_max,
                position=c.position,
            )
            for c in previous.criteria.all()
        ]
    else:
        rows = [
            Criterion(edition=edition, label=label, guidance=guidance, weight=weight, position=i)
            for i, (label, guidance, weight) in enumerate(DEFAULT_CRITERIA)
        ]
    return Criterion.objects.bulk_create(rows)


@transaction.atomic
def criterion_save(*, criterion: Criterion, actor: User) -> Criterion:
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    if criterion.pk is None:
        last = criterion.edition.criteria.aggregate(last=Max("position"))["last"]
        criterion.position = 0 if last is None else last + 1
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: User) -> None:
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    if criterion.scores.exists():
        raise JuryRefused(_("Des notes existent déjà pour ce critère : il ne peut être supprimé."))
    criterion.delete()


@transaction.atomic
def criterion_move(*, criterion: Criterion, actor: User, offset: int) -> None:
    """Move a criterion up (-1) or down (+1) in the grid."""
    _require_coordinator(actor)
    _require_grid_open(criterion.edition)
    ordered = list(criterion.edition.criteria.select_for_update().order_by("position", "pk"))
    index = next(i for i, c in enumerate(ordered) if c.pk == criterion.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# --- Sessions and jurors -------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: JurySession, actor: User) -> JurySession:
    _require_coordinator(actor)
    if session.pk and session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    if session.pk:
        saved_edition = JurySession.objects.values_list("edition_id", flat=True).get(pk=session.pk)
        if saved_edition != session.edition_id and session.auditions.exists():
            raise JuryRefused(
                {
                    "edition": _(
                        "Des projets sont déjà placés dans cette séance : "
                        "son édition ne change plus."
                    )
                }
            )
    if existing := already_created(JurySession, session.submission_key, exclude_pk=session.pk):
        return existing
    session.full_clean()
    session, created = save_once(session)
    if not created:
        return session
    if session.president_id:
        # The president sits on the jury.
        JuryMember.objects.get_or_create(
            session=session,
            user_id=session.president_id,
            defaults={"quality": "elu"},
        )
        User.objects.filter(pk=session.president_id).update(is_juror=True)
    _reschedule(session)
    return session


@transaction.atomic
def juror_add(
    *,
    session: JurySession,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    quality: str,
) -> JuryMember:
    """Seat a person on the jury; a person without account is invited by mail."""
    _require_coordinator(actor)
    _require_session_not_closed(session)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if invited:
        user = User(email=email, first_name=first_name, last_name=last_name, is_juror=True)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif not user.is_juror:
        user.is_juror = True
        user.save(update_fields=["is_juror"])
    if session.members.filter(user=user).exists():
        raise JuryRefused({"email": _("Cette personne siège déjà dans cette séance.")})
    member = JuryMember(session=session, user=user, quality=quality)
    member.full_clean()
    member.save()
    context = {
        "session": session,
        "user": user,
        "session_url": absolute_url(session),
    }
    if invited:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        context["set_password_url"] = absolute_url(
            reverse("accounts:password_reset_confirm", args=[uid, token])
        )
    send_mail_on_commit(template="jury/email/juror_seated", to=[user.email], context=context)
    return member


@transaction.atomic
def juror_remove(*, member: JuryMember, actor: User) -> None:
    _require_coordinator(actor)
    _require_session_not_closed(member.session)
    if member.evaluations.filter(state=EvaluationState.SUBMITTED).exists():
        raise JuryRefused(_("Ce juré a déjà soumis des évaluations : il reste membre du jury."))
    if member.session.president_id == member.user_id:
        raise JuryRefused(_("Désignez d'abord un autre président."))
    member.delete()


@transaction.atomic
def session_open(*, session: JurySession, actor: User) -> JurySession:
    _require_coordinator(actor)
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    if locked.state != SessionState.PLANNED:
        raise JuryRefused(_("Seule une séance en préparation peut être ouverte."))
    if not locked.edition.criteria.exists():
        raise JuryRefused(_("Préparez d'abord la grille de critères de l'édition."))
    if not locked.auditions.exists():
        raise JuryRefused(_("Placez d'abord au moins un projet dans la séance."))
    locked.state = SessionState.OPEN
    locked.save(update_fields=["state"])
    return locked


@transaction.atomic
def session_convene(*, session: JurySession, actor: User) -> int:
    """Send the convocations (again: an update with a higher SEQUENCE)."""
    _require_coordinator(actor)
    if session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    if not session.auditions.exists():
        raise JuryRefused(_("Placez d'abord au moins un projet dans la séance."))
    return convocations.send_all(session=session)


def _can_deliberate(actor: User, session: JurySession) -> bool:
    return allowed(actor, "jury.deliberate", session)


def _require_closable(locked: JurySession, actor: User) -> None:
    if not _can_deliberate(actor, locked):
        raise JuryRefused(_("Seuls le président du jury et la coordination closent la séance."))
    if locked.state != SessionState.OPEN:
        raise JuryRefused(_("Seule une séance ouverte peut être close."))
    # A project withdrawn by its association needs no proposal any more.
    missing = [
        audition.project.title
        for audition in locked.auditions.select_related("project")
        if audition.project.state == ProjectState.SHORTLISTED
        and not locked.proposals.filter(project=audition.project).exists()
    ]
    if missing:
        raise JuryRefused(
            _("Il manque la proposition du jury pour : %(titles)s.")
            % {"titles": ", ".join(missing)}
        )


def session_close_check(*, session: JurySession, actor: User) -> None:
    """Raise JuryRefused when the session cannot be closed now (before asking to confirm)."""
    _require_closable(session, actor)


@transaction.atomic
def session_close(
    *,
    session: JurySession,
    actor: User,
    present_ids: set[int] | None = None,
    absences_confirmed: bool = False,
) -> JurySession:
    """Close the session: proposals, scores and attendance are frozen from now on.

    The minutes list who was there: ``present_ids`` records the attendance
    with the closing; otherwise the attendance already recorded is used, and
    the absent jurors must be confirmed absent. A session without anyone
    present is not closed.
    """
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    _require_closable(locked, actor)
    members = list(locked.members.select_related("user").select_for_update(of=("self",)))
    if present_ids is not None:
        for member in members:
            member.present = member.pk in present_ids
            member.save(update_fields=["present"])
    if not any(member.present for member in members):
        raise JuryRefused(
            {
                "present": _(
                    "Aucun juré n'est noté présent : cochez les jurés présents "
                    "avant de clore la séance."
                )
            }
        )
    absent = [member for member in members if not member.present]
    if absent and present_ids is None and not absences_confirmed:
        raise JuryRefused(
            {
                "absences_confirmed": _("Confirmez l'absence de : %(names)s.")
                % {"names": ", ".join(str(member.user) for member in absent)}
            }
        )
    locked.state = SessionState.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    return locked


@transaction.atomic
def attendance_record(*, session: JurySession, actor: User, present_ids: set[int]) -> None:
    if not _can_deliberate(actor, session):
        raise JuryRefused(_("Seuls le président du jury et la coordination font l'appel."))
    if session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    for member in session.members.select_for_update():
        member.present = member.pk in present_ids
        member.save(update_fields=["present"])


# --- Auditions -----------------------------------------------------------------------------


def _require_session_not_closed(session: JurySession) -> None:
    if session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))


def _reschedule(session: JurySession) -> None:
    """Lay the auditions one after the other; a convened association gets the new time."""
    moment = session.starts_at
    auditions = session.auditions.select_for_update().select_related("project__association")
    for audition in auditions.order_by("position", "pk"):
        if audition.starts_at != moment:
            audition.starts_at = moment
            if audition.convened_at:
                audition.ics_sequence += 1
            audition.save(update_fields=["starts_at", "ics_sequence"])
            if audition.convened_at:
                convocations.send_audition_invitation(audition)
        moment = moment + datetime.timedelta(
            minutes=audition.duration_minutes + audition.break_after_minutes
        )


@transaction.atomic
def audition_add(
    *, session: JurySession, project: Project, actor: User, duration_minutes: int = 20
) -> Audition:
    _require_coordinator(actor)
    if session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    if project.state != ProjectState.SHORTLISTED or project.edition_id != session.edition_id:
        raise JuryRefused(_("Seul un projet retenu pour l'audition de cette édition peut passer."))
    if Audition.objects.filter(project=project).exists():
        raise JuryRefused(_("Ce projet a déjà sa place dans une séance."))
    last = session.auditions.aggregate(last=Max("position"))["last"]
    audition = Audition.objects.create(
        session=session,
        project=project,
        position=0 if last is None else last + 1,
        duration_minutes=duration_minutes,
        starts_at=session.starts_at,
    )
    _reschedule(session)
    audition.refresh_from_db()
    return audition


@transaction.atomic
def audition_update(
    *, audition: Audition, actor: User, duration_minutes: int, break_after_minutes: int
) -> Audition:
    _require_coordinator(actor)
    _require_session_not_closed(audition.session)
    # The audition's own end moves with its duration: a convened one is sent again.
    resend = bool(audition.convened_at) and audition.duration_minutes != duration_minutes
    if resend:
        audition.ics_sequence += 1
    audition.duration_minutes = duration_minutes
    audition.break_after_minutes = break_after_minutes
    audition.full_clean()
    audition.save(update_fields=["duration_minutes", "break_after_minutes", "ics_sequence"])
    if resend:
        convocations.send_audition_invitation(audition)
    _reschedule(audition.session)
    return audition


@transaction.atomic
def audition_move(*, audition: Audition, actor: User, offset: int) -> None:
    """Swap an audition with the one before (-1) or after (+1)."""
    _require_coordinator(actor)
    session = audition.session
    _require_session_not_closed(session)
    ordered = list(session.auditions.select_for_update().order_by("position", "pk"))
    index = next(i for i, a in enumerate(ordered) if a.pk == audition.pk)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    _reschedule(session)


@transaction.atomic
def audition_remove(*, audition: Audition, actor: User) -> None:
    _require_coordinator(actor)
    _require_session_not_closed(audition.session)
    if Evaluation.objects.filter(
        project=audition.project, member__session=audition.session
    ).exists():
        raise JuryRefused(
            _("Des jurés ont commencé à évaluer ce projet : il reste dans la séance.")
        )
    session = audition.session
    if audition.convened_at:
        audition.ics_sequence += 1
        convocations.send_audition_invitation(audition, cancelled=True)
    audition.delete()
    _reschedule(session)


@transaction.atomic
def attendance_confirm(
    *, audition: Audition, actor: User, attending: bool, presenters: str
) -> Audition:
    """The association says whether it comes, and who will present."""
    if not audition.project.association.memberships.filter(user=actor).exists():
        raise JuryRefused(_("Seule l'association du projet répond à la convocation."))
    if audition.session.state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    audition.attendance = "confirmed" if attending else "declined"
    audition.presenters = presenters.strip()
    audition.full_clean()
    audition.save(update_fields=["attendance", "presenters"])
    return audition


# --- Declarations and evaluations ----------------------------------------------------------


def _member_project_or_refuse(member: JuryMember, project: Project) -> None:
    if not member.session.auditions.filter(project=project).exists():
        raise JuryRefused(_("Ce projet ne passe pas devant votre séance."))


@transaction.atomic
def declaration_save(
    *, member: JuryMember, project: Project, has_conflict: bool, reason: str
) -> ConflictDeclaration:
    _member_project_or_refuse(member, project)
    state = JurySession.objects.values_list("state", flat=True).get(pk=member.session_id)
    if state == SessionState.CLOSED:
        raise JuryRefused(_("Cette séance est close."))
    reason = reason.strip()
    if has_conflict and not reason:
        raise JuryRefused({"reason": _("Indiquez la nature du conflit d'intérêts.")})
    if (
        has_conflict
        and member.evaluations.filter(project=project, state=EvaluationState.SUBMITTED).exists()
    ):
        raise JuryRefused(_("Vous avez déjà soumis votre évaluation de ce projet."))
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
    return ConflictDeclaration.objects.filter(
        member=member, project=project, has_conflict=False
    ).exists()


def _parse_scores(evaluation: Evaluation, raw: dict[int, dict], *, complete: bool) -> dict:
    """Check the scores against the edition's grid; return {criterion: (value, comment)}."""
    criteria = {c.pk: c for c in evaluation.member.session.edition.criteria.all()}
    errors, parsed = {}, {}
    for criterion_id in raw:
        if criterion_id not in criteria:
            raise JuryRefused(_("Ce critère n'appartient pas à la grille de l'édition."))
    for criterion_id, criterion in criteria.items():
        entry = raw.get(criterion_id, {})
        given = entry.get("value")
        # 0 is a score: only None and blank mean "not scored yet".
        text = ("" if given is None else str(given)).strip().replace(",", ".")
        comment = str(entry.get("comment") or "").strip()
        if not text:
            if complete:
                errors[f"score_{criterion_id}"] = _("Notez ce critère avant de soumettre.")
            parsed[criterion] = (None, comment)
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            # "NaN" and "Infinity" parse as Decimals but are not scores.
            errors[f"score_{criterion_id}"] = _("La note est un nombre.")
            continue
        if not (0 <= value <= criterion.scale_max) or value != value.quantize(Decimal("0.1")):
            errors[f"score_{criterion_id}"] = _(
                "La note va de 0 à %(max)s (une décimale au plus)."
            ) % {"max": criterion.scale_max}
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
        raise JuryRefused(_("Les évaluations de cette séance ne sont pas ouvertes."))
    if not may_score(member, project):
        raise JuryRefused(_("Déclarez d'abord l'absence de conflit d'intérêts pour ce projet."))
    evaluation, created = Evaluation.objects.get_or_create(member=member, project=project)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    # A form served before the first save carries version 0: "no row yet".
    saved_version = NO_EVALUATION_YET if created else evaluation.version
    if version is not None and saved_version != version:
        raise StaleWrite(
            _(
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
    if evaluation.state == EvaluationState.SUBMITTED:
        raise JuryRefused(
            _("Cette évaluation est soumise : modifiez-la par un amendement motivé."),
            code="locked",
        )
    parsed = _parse_scores(evaluation, scores, complete=submit)
    _write_scores(evaluation, parsed)
    evaluation.general_comment = general_comment.strip()
    evaluation.version += 1
    fields = ["general_comment", "version", "updated_at"]
    if submit:
        evaluation.state = EvaluationState.SUBMITTED
        evaluation.submitted_at = timezone.now()
        fields += ["state", "submitted_at"]
    evaluation.save(update_fields=fields)
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
    if evaluation.state != EvaluationState.SUBMITTED:
        raise JuryRefused(_("Seule une évaluation soumise se modifie par amendement."))
    if not reason.strip():
        raise JuryRefused({"reason": _("Indiquez le motif de la modification.")})
    before = _scores_as_data(evaluation)
    parsed = _parse_scores(evaluation, scores, complete=True)
    _write_scores(evaluation, parsed)
    evaluation.general_comment = general_comment.strip()
    evaluation.version += 1
    evaluation.save(update_fields=["general_comment", "version", "updated_at"])
    EvaluationAmendment.objects.create(
        evaluation=evaluation,
        author=member.user,
        reason=reason.strip(),
        before=before,
        after=_scores_as_data(evaluation),
    )
    return evaluation


# --- Deliberation ---------------------------------------------------------------------------


@transaction.atomic
def proposal_save(
    *,
    session: JurySession,
    project: Project,
    actor: User,
    decision: str,
    amount: Decimal,
    justification: str,
) -> Proposal:
    """Record the jury's proposal for a project, within the edition's envelope."""
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    if not _can_deliberate(actor, locked):
        raise JuryRefused(
            _("Seuls le président du jury et la coordination notent les propositions.")
        )
    if locked.state == SessionState.PLANNED:
        raise JuryRefused(_("Cette séance n'est pas encore ouverte."))
    if locked.state != SessionState.OPEN:
        raise JuryRefused(_("Les propositions d'une séance close ne changent plus."))
    if not locked.auditions.filter(project=project).exists():
        raise JuryRefused(_("Ce projet ne passe pas devant cette séance."))
    if project.state != ProjectState.SHORTLISTED:
        raise JuryRefused(
            _("Ce projet est « %(state)s » : le jury ne fait plus de proposition pour lui.")
            % {"state": project.get_state_display()}
        )
    conflicted = ConflictDeclaration.objects.filter(
        member__session=locked, member__user=actor, project=project, has_conflict=True
    ).exists()
    if conflicted:
        raise JuryRefused(
            _("Vous avez déclaré un conflit d'intérêts : la proposition revient à un autre membre.")
        )
    amount = amount if decision == Decision.LAUREATE else Decimal("0")
    others = Proposal.objects.filter(
        session__edition=locked.edition, decision=Decision.LAUREATE
    ).exclude(session=locked, project=project).aggregate(total=Sum("amount"))["total"] or Decimal(
        "0"
    )
    envelope = locked.edition.budget_envelope
    if envelope and others + amount > envelope:
        raise JuryRefused(
            {
                "amount": _(
                    "Avec ce montant, les propositions atteignent %(total)s, au-delà de "
                    "l'enveloppe de l'édition (%(envelope)s)."
                )
                % {"total": euros(others + amount), "envelope": euros(envelope)}
            }
        )
    proposal, _created = Proposal.objects.update_or_create(
        session=locked,
        project=project,
        defaults={
            "decision": decision,
            "amount": amount,
            "justification": justification.strip(),
            "recorded_by": actor,
        },
    )
    proposal.full_clean()
    return proposal


@transaction.atomic
def declarations_save(*, member: JuryMember, entries: list[tuple[Project, bool, str]]) -> None:
    """Save every declaration of the form at once, or none."""
    for project, has_conflict, reason in entries:
        declaration_save(member=member, project=project, has_conflict=has_conflict, reason=reason)


# --- Publication ---------------------------------------------------------------------------


def _require_publishable(edition: Edition, actor: User) -> None:
    _require_coordinator(actor)
    if edition.results_published_at:
        raise JuryRefused(_("Les résultats de cette édition sont déjà publiés."))
    sessions = list(edition.jury_sessions.all())
    if not sessions:
        raise JuryRefused(_("Cette édition n'a pas de séance de jury."))
    if any(session.state != SessionState.CLOSED for session in sessions):
        raise JuryRefused(_("Toutes les séances doivent être closes avant la publication."))


def results_publish_check(*, edition: Edition, actor: User) -> None:
    """Raise JuryRefused when the results cannot be published now (before asking to confirm)."""
    _require_publishable(edition, actor)


@transaction.atomic
def results_publish(*, edition: Edition, actor: User) -> int:
    """Apply the closed sessions' proposals; return how many associations were told."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    _require_publishable(locked, actor)
    # A project withdrawn after the jury keeps its state; the others get the outcome.
    proposals = Proposal.objects.filter(
        session__edition=locked, project__state=ProjectState.SHORTLISTED
    ).select_related("project")
    for proposal in proposals:
        submission_services.project_transition(
            project=proposal.project,
            actor=actor,
            name="award" if proposal.decision == Decision.LAUREATE else "not_select",
            comment=proposal.justification,
            publication=True,
        )
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    return len({proposal.project.association_id for proposal in proposals})
