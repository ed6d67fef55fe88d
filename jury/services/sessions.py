"""Jury sessions and their jurors: preparing, opening, convening, closing, attendance."""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core.audit import record_membership, record_role_change, saved_roles_of
from core.links import absolute_url
from core.once import already_created, save_once
from core.workflow import transition
from jury import convocations
from jury.enums import EvaluationState, JurorQuality
from jury.models import ConvocationRun, JuryMember, JurySession
from jury.services._common import JuryRefused, _require_coordinator, _require_session_not_closed
from jury.services.auditions import _reschedule
from jury.workflows import SESSION, close_refusal, may_deliberate
from notifications.services import notify


@transaction.atomic
def session_save(*, session: JurySession, actor: User) -> JurySession:
    _require_coordinator(actor)
    if session.pk and session.is_closed:
        raise JuryRefused("Cette séance est close.")
    if session.pk:
        saved_edition = JurySession.objects.values_list("edition_id", flat=True).get(pk=session.pk)
        if saved_edition != session.edition_id and session.auditions.exists():
            raise JuryRefused(
                {
                    "edition": (
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
        member, seated = JuryMember.objects.get_or_create(
            session=session,
            user_id=session.president_id,
            defaults={"quality": JurorQuality.ELECTED},
        )
        _make_juror(member.user, actor=actor)
        if seated:
            record_membership(actor=actor, user=member.user, group=session, joined=True)
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
    existing = User.objects.filter(email__iexact=email).first()
    invited = existing is None
    if existing is None:
        # The juror's role is given below, recorded like anyone's.
        user = User(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    else:
        user = existing
    if session.members.filter(user=user).exists():
        raise JuryRefused({"email": "Cette personne siège déjà dans cette séance."})
    _make_juror(user, actor=actor)
    member = JuryMember(session=session, user=user, quality=quality)
    member.full_clean()
    member.save()
    record_membership(actor=actor, user=user, group=session, joined=True)
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
    notify(
        kind="convocation",
        users=[user],
        title=f"Vous êtes membre du jury : {session.title}",
        link=session.get_absolute_url(),
        mail_template="jury/email/juror_seated",
        context=context,
    )
    return member


@transaction.atomic
def juror_remove(*, member: JuryMember, actor: User) -> None:
    _require_coordinator(actor)
    _require_session_not_closed(member.session)
    if member.evaluations.filter(state=EvaluationState.SUBMITTED).exists():
        raise JuryRefused("Ce juré a déjà soumis des évaluations : il reste membre du jury.")
    if member.session.president_id == member.user_id:
        raise JuryRefused("Désignez d'abord un autre président.")
    member.delete()
    record_membership(actor=actor, user=member.user, group=member.session, joined=False)


def _make_juror(user: User, *, actor: User) -> None:
    """Give the juror's role to a person seated on a jury (recorded in the trail)."""
    if user.is_juror:
        return
    before = saved_roles_of(user)
    user.is_juror = True
    user.save(update_fields=["is_juror"])
    record_role_change(actor=actor, user=user, before=before)


@transaction.atomic
def session_open(*, session: JurySession, actor: User) -> JurySession:
    """Open the evaluations: the grid is ready and the projects are placed."""
    return transition(SESSION, session, "open", actor=actor)


@transaction.atomic
def session_convene(
    *, session: JurySession, actor: User, submission_key=None
) -> tuple[ConvocationRun, bool]:
    """Send the convocations (again: an update with a higher SEQUENCE), in the background.

    Return the sending and whether this call recorded it (a double click does not).
    """
    _require_coordinator(actor)
    _require_session_not_closed(session)
    if not session.auditions.exists():
        raise JuryRefused("Placez d'abord au moins un projet dans la séance.")
    return convocations.convocations_request(
        session=session, actor=actor, submission_key=submission_key
    )


def session_close_check(*, session: JurySession, actor: User) -> None:
    """Raise JuryRefused when the session cannot be closed now (before asking to confirm)."""
    close_refusal(actor, session)


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
    close_refusal(actor, locked)
    members = list(locked.members.select_related("user").select_for_update(of=("self",)))
    if present_ids is not None:
        for member in members:
            member.present = member.pk in present_ids
            member.save(update_fields=["present"])
    if not any(member.present for member in members):
        raise JuryRefused(
            {
                "present": (
                    "Aucun juré n'est noté présent : cochez les jurés présents "
                    "avant de clore la séance."
                )
            }
        )
    absent = [member for member in members if not member.present]
    if absent and present_ids is None and not absences_confirmed:
        raise JuryRefused(
            {
                "absences_confirmed": "Confirmez l'absence de : {names}.".format(
                    names=", ".join(str(member.user) for member in absent)
                )
            }
        )
    return transition(SESSION, locked, "close", actor=actor)


@transaction.atomic
def attendance_record(*, session: JurySession, actor: User, present_ids: set[int]) -> None:
    if not may_deliberate(actor, session):
        raise JuryRefused("Seuls le président du jury et la coordination font l'appel.")
    if session.is_closed:
        raise JuryRefused("Cette séance est close.")
    for member in session.members.select_for_update():
        member.present = member.pk in present_ids
        member.save(update_fields=["present"])
