"""Results and deliberation: ranking, juror severity, proposals, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.confirm import Confirmation, confirmation_page
from core.exports import export_response
from core.permissions import allowed, object_permission, or_404
from jury import documents, selectors, services
from jury.forms import PresenceForm, SessionCloseForm
from jury.views._common import attach_errors, flash_errors, kept_page, session_of
from jury.views._pages import DeliberationPage, ProposalPage, ResultsPage, deliberation_url
from jury.views.bundle import file_download, file_page
from jury.workflows import SESSION


def _documents(request, session) -> dict:
    return {
        "can_download_minutes": allowed(request.user, "jury.download_minutes", session),
        "can_export_scores": allowed(request.user, "jury.export_scores", session),
    }


@object_permission("jury.deliberate", get=session_of)
def results(request, session):
    """The figures, the rankings and the amendments, kept per viewer while nothing changes."""
    pages = {name: request.GET.get(name) for name in ("page", "normalise", "modifications")}
    return render(
        request,
        "jury/results.html",
        {
            "session": session,
            # Read only when shown: the page's body is kept per viewer (cached_fragment).
            "page": ResultsPage(session, request.user, pages),
            "ranking_query": kept_page(request, "normalise", "modifications"),
            "normalised_query": kept_page(request, "page", "modifications"),
            "amendments_query": kept_page(request, "page", "normalise"),
            **_documents(request, session),
        },
    )


@object_permission("jury.deliberate", get=session_of)
def deliberation(request, session):
    """The proposals project by project (a page of them), the attendance, the closing."""
    return render(
        request,
        "jury/deliberation.html",
        {
            "session": session,
            # Read only when shown: the page's body is kept per viewer (cached_fragment).
            "page": DeliberationPage(session, request.user, request.GET.get("page")),
            "closed": session.is_closed,
            **_documents(request, session),
        },
    )


@object_permission("jury.deliberate", get=session_of)
def proposal_save(request, session, project_pk):
    """One project's proposal: its own page, so that the list carries no form per project."""
    audition = or_404(selectors.session_audition(session, project_pk, reader=request.user))
    # On a GET, read only when shown: the page's body is kept per viewer (cached_fragment).
    # Where the project comes in the running order (for the way back) too: a redirect
    # reads it when needed.
    page = ProposalPage(session, audition, request.POST or None)
    if session.is_closed:
        messages.info(request, "Séance close : les propositions du jury sont définitives.")
        return redirect(page.back_url)
    if audition.recused:
        messages.info(
            request,
            "Vous avez déclaré un conflit d'intérêts pour ce projet : sa proposition revient "
            "à un autre membre du jury ou à la coordination.",
        )
        return redirect(page.back_url)
    if request.method == "POST":
        form = page.form
        if form.is_valid():
            try:
                services.proposal_save(
                    session=session,
                    project=audition.project,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    amount=form.cleaned_data["amount"] or 0,
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, f"Proposition enregistrée pour « {audition.project.title} »."
                )
                return redirect(page.back_url)
        messages.error(
            request,
            f"La proposition pour « {audition.project.title} » n'est pas enregistrée : "
            "voir ci-dessous.",
        )
    return render(
        request,
        "jury/proposal_form.html",
        {
            "session": session,
            "audition": audition,
            "page": page,
            "deliberation_url": deliberation_url(session),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@object_permission("jury.deliberate", get=session_of)
def presence_save(request, session):
    members = list(session.members.select_related("user"))
    form = PresenceForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.attendance_record(
                session=session,
                actor=request.user,
                present_ids={int(value) for value in form.cleaned_data["present"]},
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "Présences enregistrées.")
    else:
        messages.error(request, "La liste des présents n'a pas pu être lue : réessayez.")
    return redirect(f"{session.get_absolute_url()}deliberation/")


def _close_confirmation(session, members, form, *, cancel_url: str) -> Confirmation:
    """What closing does, starting with the attendance the minutes will carry."""
    if form.asks_attendance:
        attendance = "Aucun juré n'est encore noté présent : cochez ci-dessous les présents."
    else:
        attendance = "Présents au procès-verbal : {names}.".format(
            names=", ".join(str(m.user) for m in members if m.present),
        )
        absent = [str(m.user) for m in members if not m.present]
        if absent:
            attendance += " " + "Absents : {names}.".format(names=", ".join(absent))
    return Confirmation(
        title=f"Clore la séance « {session.title} » ?",
        consequences=[
            attendance,
            (
                "Les propositions du jury, les notes et les présences deviennent définitives : "
                "plus rien ne pourra être modifié dans cette séance."
            ),
            "Le procès-verbal est établi avec ces présences et ces propositions.",
        ],
        action_url=reverse("jury:session_close", args=[session.pk]),
        button="Clore la séance",
        cancel_url=cancel_url,
        danger=True,
    )


@object_permission("jury.deliberate", get=session_of)
def session_close(request, session):
    """Close the session: GET asks to confirm (and for the attendance), a confirmed POST closes."""
    deliberation_url = f"{session.get_absolute_url()}deliberation/"
    try:
        services.session_close_check(session=session, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(deliberation_url)
    members = list(session.members.select_related("user"))
    confirmed = request.method == "POST" and request.POST.get("confirmed") == "1"
    form = SessionCloseForm(request.POST if confirmed else None, members=members)
    if confirmed and form.is_valid():
        try:
            services.session_close(
                session=session,
                actor=request.user,
                present_ids=form.present_ids(),
                absences_confirmed=form.cleaned_data.get("absences_confirmed", False),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, SESSION["close"].success)
            return redirect(deliberation_url)
    confirm = _close_confirmation(session, members, form, cancel_url=deliberation_url)
    return confirmation_page(request, confirm, form=form, status=400 if confirmed else 200)


@object_permission("jury.export_scores", get=session_of)
def scores_export(request, session, fmt):
    """Every submitted evaluation of the session, by juror: for the coordination only."""
    header, rows = documents.scores_table(session)
    return export_response(
        actor=request.user,
        subject=session,
        what="Notes du jury",
        fmt=fmt,
        filename=f"notes-jury-{session.edition.year}-seance-{session.pk}",
        header=header,
        rows=rows,
    )


@object_permission("jury.download_minutes", get=session_of)
def minutes(request, session):
    """The minutes: for the coordination, and for the president, who signs them.

    Built in the background (a large session takes longer than a request may):
    the page asks for them, shows the progress, then offers the PDF; the same
    minutes serve everyone while nothing they show changes.
    """
    if request.method == "POST":
        row = documents.minutes_request(session=session, user=request.user)
        if not row.is_ready:
            messages.success(request, "La préparation du procès-verbal a commencé.")
        return redirect("jury:minutes", pk=session.pk)
    closed = session.is_closed
    return file_page(
        request,
        session,
        documents.minutes_current(session=session),
        heading="Procès-verbal de la séance (PDF)",
        intro=(
            "Le procès-verbal reprend les jurés présents, les déports, les notes, les propositions "
            "et leurs justifications."
            + ("" if closed else " La séance n'est pas close : il est provisoire.")
        ),
        button="Préparer le procès-verbal",
        download_url=reverse("jury:minutes_download", args=[session.pk]),
        refresh_url=reverse("jury:minutes", args=[session.pk]),
        back_url=reverse("jury:deliberation", args=[session.pk]),
        back_label="Retour à la délibération",
    )


@object_permission("jury.download_minutes", get=session_of)
def minutes_download(request, session):
    return file_download(
        request,
        documents.minutes_current(session=session),
        reverse("jury:minutes", args=[session.pk]),
    )
