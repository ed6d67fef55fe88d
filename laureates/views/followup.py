"""The follow-up of a funded laureate project: the association's page, the coordination's.

One page serves both: the association reads its tranches, updates its milestones
and writes its reports; the coordination edits the agreement, reviews the reports
and marks the project « Réalisé ». The overview lists every project in follow-up,
the most overdue first.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.confirm import (
    Confirmation,
    confirmation_page,
    confirmed,
    known_transition,
    take_transition,
)
from core.downloads import private_file_response
from core.forms import attach_errors, flash_errors
from core.permissions import allowed, not_found, object_permission, or_404, permission
from laureates import selectors
from laureates.enums import ReportState
from laureates.forms_followup import (
    AGREEMENT_FORMS,
    MilestoneStatusForm,
    OverviewFilter,
    ReportForm,
)
from laureates.services import followup as services
from laureates.workflows import REPORT

# What each part of the agreement is called on its pages.
AGREEMENT_NAMES = {
    "tranches": ("une tranche", "la tranche"),
    "etapes": ("une étape", "l'étape"),
    "bilans": ("un bilan attendu", "le bilan attendu"),
}


def _laureate(request, pk):
    """The laureate, if the person may see it (for ``object_permission``)."""
    return (
        selectors.laureates_visible_to(request.user)
        .select_related("project", "association", "edition")
        .filter(pk=pk)
        .first()
    )


def _followup_url(laureate) -> str:
    return reverse("laureates:followup", args=[laureate.pk])


def _milestone_form(milestone, data=None):
    return MilestoneStatusForm(
        data,
        prefix=f"etape-{milestone.pk}",
        initial={"status": milestone.status, "note": milestone.note},
    )


@object_permission("laureates.view_followup", get=_laureate)
def followup(request, laureate):
    return _followup_page(request, laureate)


def _followup_page(request, laureate, *, refused_form=None, status=200):
    """The follow-up page; ``refused_form`` is a milestone form shown again with its error."""
    user = request.user
    state = selectors.followup_of(laureate, today=timezone.localdate())
    can_update = allowed(user, "laureates.update_milestone", laureate)
    milestone_rows = [
        (
            milestone,
            (
                refused_form
                if refused_form is not None and refused_form.prefix == f"etape-{milestone.pk}"
                else _milestone_form(milestone)
            )
            if can_update
            else None,
        )
        for milestone in state.milestones
    ]
    can_manage = allowed(user, "laureates.manage_followup", laureate)
    return render(
        request,
        "laureates/followup/followup.html",
        {
            "laureate": laureate,
            "followup": state,
            "milestone_rows": milestone_rows,
            "can_manage": can_manage,
            "can_write": allowed(user, "laureates.write_report", laureate),
            "report_states": ReportState,
            "completion_refusal": services.completion_refusal(laureate) if can_manage else None,
        },
        status=status,
    )


@require_POST
@object_permission("laureates.update_milestone", get=_laureate)
def milestone_update(request, laureate, milestone_pk):
    milestone = get_object_or_404(laureate.milestones, pk=milestone_pk)
    form = _milestone_form(milestone, request.POST)
    if form.is_valid():
        try:
            services.milestone_update(
                milestone=milestone,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Étape « {milestone.title} » enregistrée.")
            return redirect(f"{_followup_url(laureate)}#etape-{milestone.pk}")
    return _followup_page(request, laureate, refused_form=form, status=400)


# --- reports --------------------------------------------------------------------------------


def _report_of(laureate, report_pk):
    return get_object_or_404(laureate.reports.select_related("laureate"), pk=report_pk)


@object_permission("laureates.view_followup", get=_laureate)
def report_detail(request, laureate, report_pk):
    """Read a report; the association writes it there, with its files, then hands it in."""
    report = _report_of(laureate, report_pk)
    user = request.user
    can_write = (
        allowed(user, "laureates.write_report", laureate)
        and report.state in selectors.OPEN_REPORT_STATES
    )
    form = ReportForm(initial={"text": report.text}) if can_write else None
    status = 200
    if request.method == "POST":
        if not can_write:
            not_found()
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid() and _save_report(form, report, user):
            if request.POST.get("action") == "submit":
                return redirect(
                    "laureates:followup_report_transition", laureate.pk, report.pk, "submit"
                )
            messages.success(request, "Bilan enregistré. Il n'est pas encore remis.")
            return redirect(report.get_absolute_url())
        status = 400
    return render(
        request,
        "laureates/followup/report.html",
        {
            "laureate": laureate,
            "report": report,
            "form": form,
            "can_write": can_write,
            "attachments": list(report.attachments.select_related("uploaded_by")),
            "decisions": [t for t in REPORT.available(report, user) if t.name != "submit"],
            "late": laureate.reports.filter(
                selectors.report_late(timezone.localdate()), pk=report.pk
            ).exists(),
        },
        status=status,
    )


def _save_report(form, report, user) -> bool:
    """Save the text, then add the file; say on the form what went wrong (the text is kept)."""
    try:
        services.report_save(report=report, actor=user, text=form.cleaned_data["text"])
    except ValidationError as error:
        attach_errors(form, error)
        return False
    if upload := form.cleaned_data["file"]:
        try:
            services.report_attachment_add(
                report=report,
                actor=user,
                upload=upload,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
            return False
    return True


@object_permission("laureates.view_followup", get=_laureate)
def report_file(request, laureate, report_pk, file_pk):
    report = _report_of(laureate, report_pk)
    attachment = get_object_or_404(report.attachments, pk=file_pk)
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


@require_POST
@object_permission("laureates.write_report", get=_laureate)
def report_file_delete(request, laureate, report_pk, file_pk):
    report = _report_of(laureate, report_pk)
    attachment = get_object_or_404(report.attachments, pk=file_pk)
    try:
        services.report_attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"Pièce jointe « {attachment.original_name} » supprimée.")
    return redirect(report.get_absolute_url())


@known_transition(REPORT)
@object_permission("laureates.view_followup", get=_laureate)
def report_transition(request, laureate, report_pk, name):
    """Hand in, accept or send back a report; a final move is confirmed on its own page."""
    report = _report_of(laureate, report_pk)
    return take_transition(
        request,
        title=report.get_kind_display(),
        transition=REPORT[name],
        check=lambda: services.report_transition_check(
            report=report, actor=request.user, name=name
        ),
        take=lambda reason: services.report_transition(
            report=report, actor=request.user, name=name, reason=reason
        ),
        back_url=report.get_absolute_url(),
    )


# --- the agreement, edited by the coordination ---------------------------------------------


def _agreement_kind(kind):
    return or_404(services.AGREEMENT_MODELS.get(kind)), AGREEMENT_FORMS[kind], AGREEMENT_NAMES[kind]


@object_permission("laureates.manage_followup", get=_laureate)
def agreement_item_add(request, laureate, kind):
    model, form_class, (a_name, _the_name) = _agreement_kind(kind)
    return _agreement_form(request, laureate, form_class, model(), title=f"Ajouter {a_name}")


@object_permission("laureates.manage_followup", get=_laureate)
def agreement_item_edit(request, laureate, kind, item_pk):
    model, form_class, (_a_name, the_name) = _agreement_kind(kind)
    item = get_object_or_404(model.objects.filter(laureate=laureate), pk=item_pk)
    return _agreement_form(request, laureate, form_class, item, title=f"Modifier {the_name}")


def _agreement_form(request, laureate, form_class, item, *, title):
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_item_save(
                laureate=laureate,
                actor=request.user,
                item=form.instance,
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Convention de suivi enregistrée.")
            return redirect(_followup_url(laureate))
    return render(
        request,
        "laureates/followup/agreement_form.html",
        {"laureate": laureate, "form": form, "title": title},
        status=400 if request.method == "POST" else 200,
    )


@object_permission("laureates.manage_followup", get=_laureate)
def agreement_item_delete(request, laureate, kind, item_pk):
    model, _form_class, (_a_name, the_name) = _agreement_kind(kind)
    item = get_object_or_404(model.objects.filter(laureate=laureate), pk=item_pk)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=f"Supprimer {the_name} « {item} » ?",
                consequences=[
                    f"{the_name.capitalize()} sera retiré{'e' if kind != 'bilans' else ''} "
                    "de la convention de suivi. L'association ne le verra plus."
                ],
                action_url=request.path,
                button="Supprimer",
                cancel_url=_followup_url(laureate),
                danger=True,
            ),
        )
    try:
        services.agreement_item_delete(item=item, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, f"{the_name.capitalize()} « {item} » : supprimé de la convention."
        )
    return redirect(_followup_url(laureate))


# --- the end of the follow-up: « Réalisé » --------------------------------------------------


@object_permission("laureates.manage_followup", get=_laureate)
def complete(request, laureate):
    """Mark the project « Réalisé » (after its final report is accepted), once confirmed."""
    back = _followup_url(laureate)
    if refusal := services.completion_refusal(laureate):
        messages.error(request, refusal)
        return redirect(back)
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=f"Marquer « {laureate.title} » réalisé ?",
                consequences=[
                    "Le bilan final est accepté : le suivi du projet s'arrête. "
                    "L'association en est informée par mail.",
                    "Le projet apparaît comme « Réalisé » sur sa page publique.",
                ],
                action_url=request.path,
                button="Marquer réalisé",
                cancel_url=back,
            ),
        )
    try:
        services.mark_completed(laureate=laureate, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Projet marqué réalisé. L'association en est informée par mail.")
    return redirect(back)


# --- the coordinators' overview -------------------------------------------------------------


@permission("laureates.view_followup_overview")
def overview(request):
    today = timezone.localdate()
    rows = selectors.followup_overview(request.user, today=today)
    overview_filter = OverviewFilter(
        request.GET or None, queryset=rows, editions=selectors.followup_editions()
    )
    page = Paginator(overview_filter.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "laureates/followup/overview.html",
        {
            "filter": overview_filter,
            "page_obj": page,
            "laureates": page.object_list,
            "today": today,
            "query": query.urlencode(),
        },
    )
