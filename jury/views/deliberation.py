"""Results and deliberation: ranking, juror severity, proposals, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.confirm import Confirmation, confirmation_page
from core.exports import export_response
from core.permissions import allowed, object_permission, or_404
from jury import documents, selectors, services
from jury.forms import PresenceForm, ProposalForm, SessionCloseForm
from jury.views._common import (
    PROJECTS_PER_PAGE,
    attach_errors,
    flash_errors,
    kept_page,
    session_of,
    when_shown,
)
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

    @when_shown
    def shown() -> dict:
        # The president is a juror: a project's figures wait for his own submitted
        # evaluation of it, and a project he is recused from stays hidden from him.
        unsubmitted, conflicted = selectors.hidden_from_reader(session, request.user)
        hidden = unsubmitted | conflicted
        results = selectors.cached_session_results(session, hidden=hidden)
        amendments = Paginator(
            selectors.amendments_of(session, hidden=hidden), PROJECTS_PER_PAGE
        ).get_page(pages["modifications"])
        return {
            **results,
            # Every list by pages: the page's weight does not grow with the session.
            "ranking": Paginator(results["ranking"], PROJECTS_PER_PAGE).get_page(pages["page"]),
            "normalised": Paginator(results["normalised"], PROJECTS_PER_PAGE).get_page(
                pages["normalise"]
            ),
            "unsubmitted": unsubmitted,
            "recused": conflicted,
            "unsubmitted_projects": [p for p in results["hidden_projects"] if p.pk in unsubmitted],
            "recused_projects": [p for p in results["hidden_projects"] if p.pk in conflicted],
            "amendments": amendments,
            "amendment_items": [
                selectors.amendment_changes(amendment, results["criteria"])
                for amendment in amendments
            ],
        }

    return render(
        request,
        "jury/results.html",
        {
            "session": session,
            "shown": shown,
            "ranking_query": kept_page(request, "normalise", "modifications"),
            "normalised_query": kept_page(request, "page", "modifications"),
            "amendments_query": kept_page(request, "page", "normalise"),
            **_documents(request, session),
        },
    )


def _deliberation_url(session, *, page: int = 1, project_pk: int | None = None) -> str:
    url = reverse("jury:deliberation", args=[session.pk])
    if page > 1:
        url += f"?page={page}"
    return f"{url}#projet-{project_pk}" if project_pk else url


@object_permission("jury.deliberate", get=session_of)
def deliberation(request, session):
    """The proposals project by project (a page of them), the attendance, the closing."""
    number = request.GET.get("page")
    page = when_shown(
        lambda: Paginator(selectors.session_auditions(session), PROJECTS_PER_PAGE).get_page(number)
    )

    @when_shown
    def rows() -> list:
        proposals = {
            p.project_id: p
            for p in selectors.session_proposals(session).filter(
                project_id__in=[audition.project_id for audition in page()]
            )
        }
        # A president who declared a conflict for a project leaves its proposal to another.
        recused = selectors.recused_projects(session, request.user)
        return [
            (audition, proposals.get(audition.project_id), audition.project_id in recused)
            for audition in page()
        ]

    @when_shown
    def presence_form() -> PresenceForm:
        members = list(session.members.select_related("user"))
        return PresenceForm(
            members=members, initial={"present": [str(m.pk) for m in members if m.present]}
        )

    return render(
        request,
        "jury/deliberation.html",
        {
            "session": session,
            # Read only when shown: the page's body is kept per viewer (cached_fragment).
            "page_obj": page,
            "rows": rows,
            "proposal_count": when_shown(lambda: selectors.session_proposals(session).count()),
            "presence_form": presence_form,
            "total": when_shown(lambda: selectors.edition_laureate_total(session.edition)),
            "envelope": session.edition.budget_envelope,
            "closed": session.is_closed,
            **_documents(request, session),
        },
    )


@object_permission("jury.deliberate", get=session_of)
def proposal_save(request, session, project_pk):
    """One project's proposal: its own page, so that the list carries no form per project."""
    audition = or_404(selectors.session_audition(session, project_pk, reader=request.user))
    # Back to the project on its page of the deliberation: where it comes in the running
    # order is read only when needed (the page's body is kept; a redirect).
    back = when_shown(
        lambda: _deliberation_url(
            session,
            page=selectors.audition_index(audition) // PROJECTS_PER_PAGE + 1,
            project_pk=project_pk,
        )
    )
    if session.is_closed:
        messages.info(request, "Séance close : les propositions du jury sont définitives.")
        return redirect(back())
    if audition.recused:
        messages.info(
            request,
            "Vous avez déclaré un conflit d'intérêts pour ce projet : sa proposition revient "
            "à un autre membre du jury ou à la coordination.",
        )
        return redirect(back())
    # Read only when shown: on a GET, the page's body is kept per viewer (cached_fragment).
    proposal = when_shown(
        lambda: selectors.session_proposals(session).filter(project_id=project_pk).first()
    )
    form = when_shown(
        lambda: ProposalForm(
            request.POST or None,
            prefix=f"projet-{project_pk}",
            initial=_proposal_values(proposal()),
        )
    )
    if request.method == "POST":
        if form().is_valid():
            try:
                services.proposal_save(
                    session=session,
                    project=audition.project,
                    actor=request.user,
                    decision=form().cleaned_data["decision"],
                    amount=form().cleaned_data["amount"] or 0,
                    justification=form().cleaned_data["justification"],
                )
            except ValidationError as error:
                attach_errors(form(), error)
            else:
                messages.success(
                    request, f"Proposition enregistrée pour « {audition.project.title} »."
                )
                return redirect(back())
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
            "proposal": proposal,
            "form": form,
            "back_url": back,
            "deliberation_url": _deliberation_url(session),
            "total": when_shown(lambda: selectors.edition_laureate_total(session.edition)),
            "envelope": session.edition.budget_envelope,
        },
        status=400 if request.method == "POST" else 200,
    )


def _proposal_values(proposal) -> dict:
    if proposal is None:
        return {}
    return {
        "decision": proposal.decision,
        "amount": proposal.amount,
        "justification": proposal.justification,
    }


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
