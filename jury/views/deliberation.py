"""Results and deliberation: ranking, juror severity, proposals, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jury import documents, selectors, services
from jury.enums import SessionState
from jury.forms import PresenceForm, ProposalForm
from jury.views._common import attach_errors, flash_errors, session_or_404
from label_portal.exports import csv_response, xlsx_response


def _deliberating_session_or_404(request, pk):
    session = session_or_404(request, pk)
    if not (request.user.is_coordinator or session.president_id == request.user.pk):
        raise Http404
    return session


def _coordinator_session_or_404(request, pk):
    session = session_or_404(request, pk)
    if not request.user.is_coordinator:
        raise Http404
    return session


def results(request, pk):
    session = _deliberating_session_or_404(request, pk)
    # The president is a juror: a project's figures wait for his own submitted
    # evaluation of it, and a project he is recused from stays hidden from him.
    unsubmitted, conflicted = selectors.hidden_from_reader(session, request.user)
    results = selectors.session_results(session, hidden=unsubmitted | conflicted)
    return render(
        request,
        "jury/results.html",
        {
            "session": session,
            **results,
            "unsubmitted_projects": [p for p in results["hidden_projects"] if p.pk in unsubmitted],
            "recused_projects": [p for p in results["hidden_projects"] if p.pk in conflicted],
        },
    )


def deliberation(request, pk):
    session = _deliberating_session_or_404(request, pk)
    return _deliberation_page(request, session)


def _deliberation_page(request, session, *, bound=None, status=200):
    """The deliberation page; ``bound`` is a refused proposal form, shown with what was typed."""
    proposals = {p.project_id: p for p in selectors.session_proposals(session)}
    rows = []
    for audition in selectors.session_auditions(session):
        proposal = proposals.get(audition.project_id)
        if bound is not None and bound.prefix == f"projet-{audition.project_id}":
            form = bound
        else:
            initial = (
                {
                    "decision": proposal.decision,
                    "amount": proposal.amount,
                    "justification": proposal.justification,
                }
                if proposal
                else {}
            )
            form = ProposalForm(prefix=f"projet-{audition.project_id}", initial=initial)
        rows.append((audition, proposal, form))
    members = list(session.members.select_related("user"))
    presence = PresenceForm(
        members=members, initial={"present": [str(m.pk) for m in members if m.present]}
    )
    return render(
        request,
        "jury/deliberation.html",
        {
            "session": session,
            "rows": rows,
            "presence_form": presence,
            "total": selectors.edition_laureate_total(session.edition),
            "envelope": session.edition.budget_envelope,
            "closed": session.state == SessionState.CLOSED,
        },
        status=status,
    )


@require_POST
def proposal_save(request, pk, project_pk):
    session = _deliberating_session_or_404(request, pk)
    audition = session.auditions.select_related("project").filter(project_id=project_pk).first()
    if audition is None:
        raise Http404
    form = ProposalForm(request.POST, prefix=f"projet-{project_pk}")
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
                request,
                _("Proposition enregistrée pour « %(title)s ».")
                % {"title": audition.project.title},
            )
            return redirect(f"{session.get_absolute_url()}deliberation/#projet-{project_pk}")
    messages.error(
        request,
        _("La proposition pour « %(title)s » n'est pas enregistrée : voir ci-dessous.")
        % {"title": audition.project.title},
    )
    return _deliberation_page(request, session, bound=form, status=400)


@require_POST
def presence_save(request, pk):
    session = _deliberating_session_or_404(request, pk)
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
            messages.success(request, _("Présences enregistrées."))
    else:
        messages.error(request, _("La liste des présents n'a pas pu être lue : réessayez."))
    return redirect(f"{session.get_absolute_url()}deliberation/")


@require_POST
def session_close(request, pk):
    session = _deliberating_session_or_404(request, pk)
    try:
        services.session_close(session=session, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Séance close : les propositions sont figées."))
    return redirect(f"{session.get_absolute_url()}deliberation/")


def scores_export(request, pk, fmt):
    """Every submitted evaluation of the session, by juror: for the coordination only."""
    session = _coordinator_session_or_404(request, pk)
    header, rows = documents.scores_table(session)
    name = f"notes-jury-{session.edition.year}-seance-{session.pk}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", "Notes", header, rows)
    raise Http404


def minutes(request, pk):
    session = _coordinator_session_or_404(request, pk)
    response = HttpResponse(documents.minutes_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="proces-verbal-jury-{session.edition.year}-{session.pk}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
