"""Coordinators prepare the jury: the grid, the sessions, the jurors, the running order."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.permissions import allowed, not_found, object_permission, or_404, permission
from core.text import plural
from jury import selectors, services
from jury.forms import (
    AuditionAddForm,
    AuditionTimingForm,
    ConveneForm,
    CriterionForm,
    JurorForm,
    SessionForm,
)
from jury.models import Criterion, JurySession
from jury.views._common import attach_errors, flash_errors, session_of
from jury.workflows import SESSION


def _flash_form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(request, f"{label} : {message}" if label else message)


def _edition(request, edition_pk):
    return selectors.editions_for_grid(request.user).filter(pk=edition_pk).first()


@object_permission("jury.prepare", get=_edition)
def criteria(request, edition):
    """The edition's grid: list, add, edit, reorder — until the first submitted evaluation."""
    frozen = services.grid_is_frozen(edition)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        criterion = form.save(commit=False)
        criterion.edition = edition
        try:
            services.criterion_save(criterion=criterion, actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Critère ajouté.")
            return redirect("jury:criteria", edition_pk=edition.pk)
    items = selectors.criteria_of(edition)
    total_weight = sum(c.weight for c in items)
    return render(
        request,
        "jury/setup/criteria.html",
        {
            "edition": edition,
            "criteria": [(c, round(c.weight / total_weight * 100)) for c in items]
            if total_weight
            else [],
            "frozen": frozen,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@object_permission("jury.prepare", get=_edition)
def criteria_initialise(request, edition):
    services.criteria_initialise(edition=edition, actor=request.user)
    messages.success(request, "La grille est prête : ajustez-la si besoin.")
    return redirect("jury:criteria", edition_pk=edition.pk)


def _criterion(request, pk) -> Criterion | None:
    return selectors.criteria_editable_by(request.user).filter(pk=pk).first()


@object_permission("jury.prepare", get=_criterion)
def criterion_update(request, criterion):
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(criterion=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Critère enregistré.")
            return redirect("jury:criteria", edition_pk=criterion.edition_id)
    return render(
        request,
        "jury/setup/criterion_form.html",
        {"criterion": criterion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@object_permission("jury.prepare", get=_criterion)
def criterion_action(request, criterion, action):
    try:
        if action == "monter":
            services.criterion_move(criterion=criterion, actor=request.user, offset=-1)
        elif action == "descendre":
            services.criterion_move(criterion=criterion, actor=request.user, offset=1)
        elif action == "supprimer":
            services.criterion_delete(criterion=criterion, actor=request.user)
            messages.success(request, "Critère supprimé.")
        else:
            not_found()
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("jury:criteria", edition_pk=criterion.edition_id)


@permission("jury.view_sessions")
def session_list(request):
    user = request.user
    sessions = selectors.sessions_with_members(selectors.sessions_visible_to(user))
    context = {
        "sessions": sessions,
        "sees_all_sessions": selectors.sees_all_sessions(user),
        "can_prepare": allowed(user, "jury.prepare"),
        "can_publish": allowed(user, "jury.publish_results"),
    }
    return render(request, "jury/session_list.html", context)


def _president_choices():
    return selectors.president_candidates()


@permission("jury.prepare")
def session_form(request, pk=None):
    session = or_404(session_of(request, pk)) if pk else None
    if session is not None and session.is_closed:
        messages.error(request, "Cette séance est close : elle ne peut plus être modifiée.")
        return redirect(session)
    form = SessionForm(
        request.POST or None, instance=session, president_choices=_president_choices()
    )
    if request.method == "POST" and form.is_valid():
        draft = form.save(commit=False)
        if draft.pk is None:
            draft.submission_key = form.cleaned_data["submission_key"]
        try:
            saved = services.session_save(session=draft, actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Séance enregistrée.")
            return redirect(saved)
    return render(
        request,
        "jury/setup/session_form.html",
        {"session": session, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@object_permission("jury.prepare", get=session_of)
def juror_add(request, session):
    form = JurorForm(request.POST)
    if form.is_valid():
        try:
            services.juror_add(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Juré ajouté ; il a reçu un mail.")
            return redirect(session)
    _flash_form_errors(request, form)
    return redirect(session)


@require_POST
@object_permission("jury.prepare", get=session_of)
def juror_remove(request, session, member_pk):
    member = get_object_or_404(session.members, pk=member_pk)
    try:
        services.juror_remove(member=member, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Juré retiré de la séance.")
    return redirect(session)


@require_POST
@object_permission("jury.prepare", get=session_of)
def audition_add(request, session):
    form = AuditionAddForm(request.POST, projects=selectors.shortlisted_without_audition(session))
    if form.is_valid():
        try:
            services.audition_add(
                session=session,
                project=form.cleaned_data["project"],
                actor=request.user,
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "Projet placé dans la séance.")
    else:
        _flash_form_errors(request, form)
    # A placed project comes last: show the last page of the running order.
    return redirect(_running_order_url(session, session.auditions.count() - 1))


@require_POST
@object_permission("jury.prepare", get=session_of)
def audition_action(request, session, audition_pk, action):
    audition = get_object_or_404(session.auditions, pk=audition_pk)
    index = selectors.audition_index(audition)
    try:
        if action == "monter":
            services.audition_move(audition=audition, actor=request.user, offset=-1)
            index = max(index - 1, 0)
        elif action == "descendre":
            services.audition_move(audition=audition, actor=request.user, offset=1)
            index += 1
        elif action == "horaire":
            form = AuditionTimingForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    [message for errors in form.errors.values() for message in errors]
                )
            services.audition_update(audition=audition, actor=request.user, **form.cleaned_data)
        elif action == "retirer":
            services.audition_remove(audition=audition, actor=request.user)
        else:
            not_found()
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Ordre de passage mis à jour.")
    return redirect(_running_order_url(session, index))


def _running_order_url(session: JurySession, index: int) -> str:
    """The session page at the page of the running order where the audition now stands."""
    page = index // AUDITIONS_PER_PAGE + 1
    query = f"?ordre={page}" if page > 1 else ""
    return f"{session.get_absolute_url()}{query}#ordre-de-passage"


@require_POST
@object_permission("jury.prepare", get=session_of)
def session_open(request, session):
    try:
        services.session_open(session=session, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, SESSION["open"].success)
    return redirect(session)


@require_POST
@object_permission("jury.prepare", get=session_of)
def session_convene(request, session):
    """Record the sending; a background task sends the mails, the session page follows it."""
    form = ConveneForm(request.POST)
    key = form.cleaned_data["submission_key"] if form.is_valid() else None
    try:
        run, created = services.session_convene(
            session=session, actor=request.user, submission_key=key
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if created:
            messages.success(
                request,
                f"Envoi de {run.total} "
                f"{plural(run.total, 'convocation', 'convocations')}, avec leur invitation .ics, "
                "en cours : l'avancement s'affiche dans la préparation de la séance.",
            )
        elif run.is_finished:
            messages.info(request, "Ces convocations sont déjà parties.")
        else:
            messages.info(request, "Ces convocations sont déjà en cours d'envoi.")
    return redirect(session)


# The running order lists this many auditions a page, each with its own small forms.
AUDITIONS_PER_PAGE = 20


def setup_context(session: JurySession, *, page: str | None = None) -> dict:
    return {
        "members": selectors.session_members(session),
        "auditions": Paginator(selectors.session_auditions(session), AUDITIONS_PER_PAGE).get_page(
            page
        ),
        "juror_form": JurorForm(),
        "convene_form": ConveneForm(),
        "convocation_run": selectors.latest_convocation_run(session),
        "audition_form": AuditionAddForm(projects=selectors.shortlisted_without_audition(session)),
        "criteria_count": len(selectors.session_criteria(session)),
    }
