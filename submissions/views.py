from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.selectors import associations_of_member
from core.confirm import Confirmation, confirmation_page, known_transition
from core.confirm import confirmed as _confirmed
from core.confirm import take_transition as _take_transition
from core.downloads import private_file_response
from core.formats import euros
from core.forms import attach_errors, flash_errors
from core.permissions import allowed, object_permission, or_404, permission, require
from core.stale import Difference, StaleComparison, StaleWrite, differences
from submissions import selectors, services
from submissions.deposit import deposit_pdf_ensure
from submissions.enums import ProjectState, Visibility
from submissions.filters import InboxPage
from submissions.forms import (
    AssignForm,
    AttachmentForm,
    BudgetForm,
    BudgetLineFormSet,
    ChecklistForm,
    CoachingEntryForm,
    EditionForm,
    MessageForm,
    ProjectCreateForm,
    section_form_class,
)
from submissions.rules import is_project_member
from submissions.sections import (
    SECTIONS,
    SECTIONS_BY_SLUG,
    budget_totals,
    progress,
)
from submissions.workflows import EDITION, PROJECT

# The member's projects, a page at a time.
PROJECTS_PER_PAGE = 20


def _project(request, pk):
    """The project, if the person may see it."""
    return selectors.project_detail_queryset(request.user).filter(pk=pk).first()


@permission("submissions.add_project")
def project_list(request):
    """The member's projects, with the way to start a new one."""
    associations = associations_of_member(request.user)
    projects = selectors.with_unread_flag(selectors.projects_of_member(request.user), request.user)
    # Paginated: an association that has proposed every year keeps a page of one weight.
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "submissions/project_list.html",
        {
            "page_obj": page,
            "projects": page.object_list,
            "form": ProjectCreateForm(associations=associations),
        },
    )


@permission("submissions.add_project")
def project_create(request):
    associations = associations_of_member(request.user)
    form = ProjectCreateForm(request.POST or None, associations=associations)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            association=form.cleaned_data["association"],
            actor=request.user,
            title=form.cleaned_data["title"],
            submission_key=form.cleaned_data["submission_key"],
        )
        messages.success(request, "Projet créé. Remplissez-le partie par partie.")
        return redirect("submissions:project_section", pk=project.pk, section=SECTIONS[0].slug)
    return render(
        request,
        "submissions/project_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _project_for_page(request, pk):
    """The project, if the person may see it, as the project page reads it."""
    return selectors.project_for_page(request.user, pk)


@object_permission("submissions.view_project", get=_project_for_page)
def project_detail(request, project):
    return _project_page(request, project)


class _ProjectPage(selectors.ProjectPage):
    """The project page's parts for the person who views it: what he may do, and its forms."""

    def __init__(self, project, user, *, coach: bool, messages_page: str | None):
        super().__init__(project, coach=coach, messages_page=messages_page)
        self.user = user

    def thread_shown(self) -> None:
        # Marked read whenever the thread is shown again: a new message bumps the page's
        # version, so a page taken from the cache shows nothing the person has not read.
        services.thread_mark_read(project=self.project, user=self.user)

    @cached_property
    def can_edit(self) -> bool:
        return allowed(self.user, "submissions.change_project", self.project)

    @cached_property
    def transitions(self) -> list:
        return PROJECT.available(self.project, self.user)

    @cached_property
    def checklist_form(self) -> ChecklistForm | None:
        return ChecklistForm(instance=self.dossier) if self.coach else None

    @cached_property
    def assign_form(self) -> AssignForm | None:
        if not allowed(self.user, "submissions.assign_project", self.project):
            return None
        return AssignForm()


def _project_page(request, project, *, message_form=None, status=200):
    """The project page; ``message_form`` is a refused message, shown with its text.

    The page shows the project through its parts (``_ProjectPage``), read only when
    the page's cached fragment is rendered again.
    """
    user = request.user
    coach = allowed(user, "submissions.coach_project", project)
    page = _ProjectPage(project, user, coach=coach, messages_page=request.GET.get("messages"))
    context = {
        "project": project,
        "page": page,
        "fragments": selectors.PAGE_VERSION,
        "states": ProjectState,
        "visibilities": Visibility,
        "is_member": is_project_member(user, project),
        "is_coach": coach,
        "message_form": message_form or MessageForm(),
        "coaching_form": CoachingEntryForm() if coach else None,
    }
    return render(request, "submissions/project_detail.html", context, status=status)


@object_permission("submissions.change_project", get=_project)
def project_section(request, project, section):
    or_404(SECTIONS_BY_SLUG.get(section))
    if section == "budget":
        return _budget_section(request, project)
    form_class = section_form_class(section)
    form = form_class(
        request.POST or None,
        instance=project,
        initial={"version": project.version},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.project_section_save(
                project=project,
                actor=request.user,
                section=section,
                data=data,
                version=data.pop("version"),
            )
        except StaleWrite as error:
            data = _with_current_version(request, project)
            # Read what was saved before the new form writes the typed values on the instance.
            theirs = {
                name: list(project.qpvs.all()) if name == "qpvs" else getattr(project, name)
                for name in form.fields
                if name != "version"
            }
            stale = StaleComparison.since(project, error, differences(form, theirs))
            form = form_class(data, instance=project)
            form.is_valid()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _after_section_save(request, project, section)
    return _render_section(request, project, section, {"form": form, "stale": stale})


def _with_current_version(request, project):
    """What the person typed, on top of the version saved meanwhile: saving again works."""
    project.refresh_from_db()
    data = request.POST.copy()
    data["version"] = project.version
    return data


def _budget_lines_text(lines) -> str:
    return "\n".join(
        sorted(f"{line['account']} — {line['label']} : {euros(line['amount'])}" for line in lines)
    )


def _budget_section(request, project):
    lines = [
        {"account": line.account, "funder": line.funder, "label": line.label, "amount": line.amount}
        for line in project.budget_lines.all()
    ]
    form = BudgetForm(
        request.POST or None,
        initial={"version": project.version, "amount_requested": project.amount_requested},
    )
    formset = BudgetLineFormSet(request.POST or None, initial=lines, prefix="lignes")
    stale = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [
            {key: row[key] for key in ("side", "account", "funder", "label", "amount")}
            for row in formset.cleaned_data
            if row and not row.get("DELETE")
        ]
        try:
            services.project_budget_save(
                project=project,
                actor=request.user,
                lines=kept,
                amount_requested=form.cleaned_data["amount_requested"],
                version=form.cleaned_data["version"],
            )
        except StaleWrite as error:
            data = _with_current_version(request, project)
            rows = differences(form, {"amount_requested": project.amount_requested})
            saved_lines = _budget_lines_text(project.budget_lines.values())
            if saved_lines != _budget_lines_text(kept):
                rows.append(Difference("Lignes du budget", saved_lines, _budget_lines_text(kept)))
            stale = StaleComparison.since(project, error, rows)
            form = BudgetForm(data)
            form.is_valid()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _after_section_save(request, project, "budget")
    totals = budget_totals(list(project.budget_lines.all()))
    return _render_section(
        request,
        project,
        "budget",
        {"form": form, "formset": formset, "totals": totals, "stale": stale},
    )


def _after_section_save(request, project, section):
    messages.success(request, "Enregistré.")
    slugs = [s.slug for s in SECTIONS]
    index = slugs.index(section)
    if "continuer" in request.POST and index + 1 < len(slugs):
        return redirect("submissions:project_section", pk=project.pk, section=slugs[index + 1])
    return redirect(project)


def _render_section(request, project, section, context):
    project.refresh_from_db(fields=["version"])
    return render(
        request,
        "submissions/project_section.html",
        {
            "project": project,
            "section": SECTIONS_BY_SLUG[section],
            "sections": SECTIONS,
            "progress": progress(project),
            "is_last": section == SECTIONS[-1].slug,
            **context,
        },
        status=400 if request.method == "POST" else 200,
    )


@known_transition(PROJECT)
@object_permission("submissions.view_project", get=_project)
def project_transition(request, project, name):
    """Move the project; a final move first shows what will happen and asks to confirm."""
    return _take_transition(
        request,
        title=project.title,
        transition=PROJECT[name],
        check=lambda: services.transition_check(project=project, actor=request.user, name=name),
        take=lambda reason: services.project_transition(
            project=project, actor=request.user, name=name, comment=reason
        ),
        back_url=project.get_absolute_url(),
    )


def _back_with_errors(request, project, error):
    flash_errors(request, error)
    return redirect(project)


@object_permission("submissions.view_project", get=_project)
def project_delete(request, project):
    """Delete a draft, once the person has confirmed it."""
    if not _confirmed(request):
        try:
            services.project_delete_check(project=project, actor=request.user)
        except ValidationError as error:
            return _back_with_errors(request, project, error)
        return confirmation_page(
            request,
            Confirmation(
                title=f"Supprimer le brouillon « {project.title} » ?",
                consequences=[
                    (
                        "Le brouillon, ses parties écrites, son budget et ses pièces jointes "
                        "seront effacés. Cette suppression est définitive."
                    )
                ],
                action_url=request.path,
                button="Supprimer le brouillon",
                cancel_url=project.get_absolute_url(),
                danger=True,
            ),
        )
    try:
        services.project_delete(project=project, actor=request.user)
    except ValidationError as error:
        return _back_with_errors(request, project, error)
    messages.success(request, f"Le brouillon « {project.title} » est supprimé.")
    return redirect("submissions:project_list")


@require_POST
@object_permission("submissions.write_message", get=_project)
def message_create(request, project):
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(
                project=project,
                actor=request.user,
                body=form.cleaned_data["body"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Message envoyé.")
            return redirect(f"{project.get_absolute_url()}#messages")
    # Too long, empty or refused: the page comes back with the message as typed.
    return _project_page(request, project, message_form=form, status=400)


@require_POST
@object_permission("submissions.coach_project", get=_project)
def coaching_entry_create(request, project):
    form = CoachingEntryForm(request.POST)
    if form.is_valid():
        services.coaching_entry_add(project=project, actor=request.user, **form.cleaned_data)
        messages.success(request, "Note ajoutée au suivi.")
        return redirect(f"{project.get_absolute_url()}#suivi")
    return render(
        request,
        "submissions/coaching_form.html",
        {"project": project, "form": form},
        status=400,
    )


@require_POST
@object_permission("submissions.coach_project", get=_project)
def checklist_update(request, project):
    form = ChecklistForm(request.POST, instance=project)
    if form.is_valid():
        services.checklist_save(project=project, actor=request.user, checks=form.cleaned_data)
        messages.success(request, "Liste de vérification enregistrée.")
    return redirect(f"{project.get_absolute_url()}#verification")


@require_POST
@object_permission("submissions.assign_project", get=_project)
def project_assign(request, project):
    form = AssignForm(request.POST)
    if form.is_valid():
        services.project_assign(
            project=project,
            actor=request.user,
            city_contract=form.cleaned_data["city_contract"],
        )
        messages.success(request, "Projet attribué.")
    return redirect(project)


@permission("submissions.view_inbox")
def inbox(request):
    """The coach's projects: the territory's for a chef de projet, all for coordinators."""
    return render(
        request,
        "submissions/inbox.html",
        {
            "inbox": InboxPage(request.user, request.GET),
            "sees_all_projects": selectors.inbox_covers_all(request.user),
        },
    )


@permission("submissions.manage_editions")
def edition_list(request):
    editions = [
        (edition, EDITION.available(edition, request.user))
        for edition in selectors.editions_visible_to(request.user)
    ]
    return render(request, "submissions/edition_list.html", {"editions": editions})


def _edition(request, pk):
    """The edition, if the person may see it."""
    return selectors.editions_visible_to(request.user).filter(pk=pk).first()


@known_transition(EDITION)
@object_permission("submissions.manage_editions", get=_edition)
def edition_transition(request, edition, name):
    """Open, close, reopen or archive an edition; closing first says what it means."""
    return _take_transition(
        request,
        title=edition.title,
        transition=EDITION[name],
        check=lambda: services.edition_transition_check(
            edition=edition, actor=request.user, name=name
        ),
        take=lambda reason: services.edition_transition(
            edition=edition, actor=request.user, name=name, reason=reason
        ),
        back_url=reverse("submissions:edition_list"),
        reason_help="Il reste dans l'historique de l'édition.",
    )


@permission("submissions.manage_editions")
def edition_form(request, pk=None):
    editions = selectors.editions_visible_to(request.user)
    edition = get_object_or_404(editions, pk=pk) if pk else None
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_save(edition=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Édition enregistrée.")
            return redirect("submissions:edition_list")
    return render(
        request,
        "submissions/edition_form.html",
        {"form": form, "edition": edition},
        status=400 if request.method == "POST" else 200,
    )


@object_permission("submissions.view_project", get=_project)
def attachments(request, project):
    """The dossier's files: upload and delete for members, download for all who see it."""
    can_edit = allowed(request.user, "submissions.change_project", project)
    form = AttachmentForm()
    status = 200
    if request.method == "POST":
        # Members upload while the dossier is open; the others only read.
        require(request.user, "submissions.change_project", project)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(
                    project=project,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, "Pièce jointe ajoutée.")
                return redirect("submissions:attachments", pk=project.pk)
        status = 400
    return render(
        request,
        "submissions/attachments.html",
        {
            "project": project,
            "attachments": selectors.project_attachments(project),
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "max_files": settings.ATTACHMENT_MAX_PER_PROJECT,
        },
        status=status,
    )


@require_POST
@object_permission("submissions.change_project", get=_project)
def attachment_delete(request, project, attachment_pk):
    attachment = get_object_or_404(selectors.project_attachments(project), pk=attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "Pièce jointe supprimée.")
    return redirect("submissions:attachments", pk=project.pk)


@object_permission("submissions.view_project", get=_project)
def attachment_download(request, project, attachment_pk):
    attachment = get_object_or_404(selectors.project_attachments(project), pk=attachment_pk)
    return private_file_response(attachment.file, attachment.original_name, attachment.content_type)


@object_permission("submissions.view_project", get=_project)
def deposit_pdf(request, project):
    """The deposited dossier as PDF, built again if it was missing."""
    snapshot = get_object_or_404(selectors.snapshots_of(project))
    snapshot = deposit_pdf_ensure(snapshot)
    return private_file_response(
        snapshot.pdf, f"dossier-depose-{project.pk}.pdf", "application/pdf"
    )
