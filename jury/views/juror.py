"""Jurors: the session, the declarations, the dossiers, the scoring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from core.downloads import private_file_response
from core.permissions import allowed, object_permission, or_404
from core.stale import StaleComparison, StaleWrite, differences
from core.text import plural
from jury import selectors, services
from jury.forms import EvaluationForm
from jury.views._common import PROJECTS_PER_PAGE, attach_errors, kept_page, session_of
from jury.views._pages import (
    DeclarationsPage,
    EvaluationPage,
    SessionPage,
    evaluation_values,
    score_text,
)
from jury.views.setup import setup_context
from jury.workflows import SESSION


@object_permission("jury.view_session", get=session_of)
def session_detail(request, session):
    """The session page: preparation for coordinators, the juror's work for jurors."""
    member = selectors.seat_of(request.user, session)
    context = {
        "session": session,
        "member": member,
        "can_read_bundle": allowed(request.user, "jury.view_session", session),
        "can_deliberate": allowed(request.user, "jury.deliberate", session),
        "can_prepare": allowed(request.user, "jury.prepare", session),
        # Each list's page links keep the other list's page.
        "ordre_query": kept_page(request, "ordre"),
        "my_projects_query": kept_page(request, "page"),
    }
    if member is not None:
        # Read only when shown: the juror's part is kept per viewer (cached_fragment).
        context["page"] = SessionPage(member, request.GET.get("page"))
    if context["can_prepare"]:
        context.update(setup_context(session, page=request.GET.get("ordre")))
        # The button reads the session workflow, as the service does.
        context["can_open"] = SESSION.allows(session, request.user, "open")
    return render(request, "jury/session_detail.html", context)


@object_permission("jury.evaluate", get=session_of)
def declarations(request, session):
    """Before scoring: "no conflict" or "conflict" with its reason, for every project.

    A page of projects at a time: each page is saved on its own, then the next
    page that still waits for a declaration is shown.
    """
    member = selectors.seat_of(request.user, session)
    # Read only when shown: the unbound forms are kept per viewer (cached_fragment).
    page = DeclarationsPage(member, request.GET.get("page"), request.POST or None)
    if request.method == "POST" and session.is_closed:
        messages.error(request, "Cette séance est close : les déclarations ne changent plus.")
    elif request.method == "POST" and all(form.is_valid() for _audition, form in page.forms):
        try:
            services.declarations_save(
                member=member,
                entries=[
                    (
                        audition.project,
                        form.cleaned_data["choice"] == "conflict",
                        form.cleaned_data["reason"],
                    )
                    for audition, form in page.forms
                ],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return _after_declarations(request, session, page.auditions)
    return render(
        request,
        "jury/juror/declarations.html",
        {"session": session, "member": member, "page": page},
        status=400 if request.method == "POST" else 200,
    )


def _after_declarations(request, session, auditions):
    """Back to the session once every project is declared; else to the next one to declare."""
    waiting = auditions.filter(declared=False)
    first = waiting.first()
    if first is None:
        messages.success(request, "Vos déclarations sont enregistrées.")
        return redirect(session)
    count = waiting.count()
    messages.success(
        request,
        f"Vos déclarations sont enregistrées. {count} "
        f"{plural(count, 'projet attend', 'projets attendent')} "
        "encore votre déclaration.",
    )
    page = selectors.audition_index(first) // PROJECTS_PER_PAGE + 1
    url = reverse("jury:declarations", args=[session.pk])
    return redirect(f"{url}?page={page}" if page > 1 else url)


def _project_or_404(member, project_pk, *, with_snapshot: bool = False):
    return or_404(selectors.project_for_member(member, project_pk, with_snapshot=with_snapshot))


@object_permission("jury.evaluate", get=session_of)
def dossier(request, session, project_pk):
    """The dossier exactly as deposited, for the jurors without a conflict."""
    member = selectors.seat_of(request.user, session)
    project = _project_or_404(member, project_pk, with_snapshot=True)
    snapshot = or_404(getattr(project, "snapshot", None))
    return render(
        request,
        "jury/juror/dossier.html",
        {
            "session": session,
            "member": member,
            "project": project,
            "snapshot": snapshot,
            "data": snapshot.data,
            "attachments": project.attachments.all(),
        },
    )


@object_permission("jury.evaluate", get=session_of)
def dossier_attachment(request, session, project_pk, attachment_pk):
    member = selectors.seat_of(request.user, session)
    project = _project_or_404(member, project_pk)
    attachment = or_404(project.attachments.filter(pk=attachment_pk).first())
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


@object_permission("jury.evaluate", get=session_of)
def evaluation(request, session, project_pk):
    """Score each criterion with a comment; save a draft, submit, or amend with a reason."""
    member = selectors.seat_of(request.user, session)
    project = _project_or_404(member, project_pk)
    if not services.may_score(member, project):
        messages.info(request, "Déclarez d'abord vos éventuels conflits d'intérêts.")
        return redirect("jury:declarations", pk=session.pk)
    # On a GET, read only when shown: the page's body is kept per viewer (cached_fragment).
    page = EvaluationPage(session, member, project, request.POST or None)
    if request.method == "POST":
        response = _evaluation_save(request, page)
        if response is not None:
            return response
    return render(
        request,
        "jury/juror/evaluation.html",
        {
            "session": session,
            "member": member,
            "project": project,
            "page": page,
            "editable": session.is_open,
        },
        status=400 if request.method == "POST" else 200,
    )


def _evaluation_save(request, page: EvaluationPage):
    """Save what the juror sent; None when it is refused (the page then shows why)."""
    member, project, criteria, form = page.member, page.project, page.criteria, page.form
    submitted = page.submitted
    if form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if submitted:
                services.evaluation_amend(
                    member=member,
                    project=project,
                    scores=form.scores(),
                    general_comment=form.cleaned_data["general_comment"],
                    reason=form.cleaned_data.get("reason", ""),
                    version=version,
                )
                messages.success(request, "Votre modification est enregistrée, avec son motif.")
            else:
                submit = "soumettre" in request.POST
                services.evaluation_save(
                    member=member,
                    project=project,
                    scores=form.scores(),
                    general_comment=form.cleaned_data["general_comment"],
                    version=version,
                    submit=submit,
                )
                messages.success(
                    request,
                    "Évaluation soumise : elle est verrouillée."
                    if submit
                    else "Brouillon enregistré.",
                )
        except StaleWrite as error:
            # Keep what was typed, on top of the version now saved, and show that version.
            saved = selectors.own_evaluation(member, project)
            page.stale = _evaluation_comparison(form, saved, criteria, error)
            data = request.POST.copy()
            data["version"] = saved.version
            page.form = EvaluationForm(data, criteria=criteria, amending=submitted)
            page.form.is_valid()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("jury:evaluation", pk=page.session.pk, project_pk=project.pk)
    # The evaluation as it is now saved (``submitted`` stays what the form was served for).
    page.evaluation = selectors.own_evaluation(member, project)
    return None


def _evaluation_comparison(form, saved, criteria, error) -> StaleComparison:
    """The evaluation saved from another tab, beside what was typed in this one."""
    values = evaluation_values(saved, criteria)
    theirs, labels = {}, {"general_comment": "Commentaire général"}
    for criterion in criteria:
        score, comment = f"score_{criterion.pk}", f"comment_{criterion.pk}"
        theirs[score] = values.get(score, "")
        theirs[comment] = values.get(comment, "")
        labels[score] = f"« {criterion.label} » : note"
        labels[comment] = f"« {criterion.label} » : commentaire"
    theirs["general_comment"] = values.get("general_comment", "")
    yours = {
        name: score_text(value) if name.startswith("score_") else value
        for name, value in form.cleaned_data.items()
    }
    return StaleComparison(
        author="vous, dans un autre onglet ou sur un autre appareil,",
        saved_at=saved.updated_at,
        message=" ".join(error.messages),
        differences=differences(form, theirs, yours=yours, labels=labels),
        keep_label="Garder la version enregistrée",
    )
