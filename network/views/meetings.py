"""The coordination's meetings (prepare, publish, registrations, exports) and the public archive."""

import copy
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import public_cache
from core.confirm import known_transition, take_transition
from core.exports import export_response
from core.forms import attach_errors
from core.permissions import allowed, object_permission, permission
from core.stale import StaleComparison, StaleWrite, differences
from network import selectors
from network.exports import REGISTRATION_HEADER, registration_rows
from network.forms import MeetingEditForm, MeetingForm, ProgrammeFormSet, RegistrationFilterForm
from network.models import Meeting
from network.services import meetings as services
from network.services.registration import cancel_registration
from network.workflows import MEETING, REGISTRATION

REGISTRATIONS_PER_PAGE = 50


def _meeting(request, pk) -> Meeting | None:
    return selectors.meetings_visible_to(request.user).filter(pk=pk).first()


# --- The coordination's list --------------------------------------------------------------


@permission("network.manage_meetings")
def meeting_list(request):
    """Every meeting with its seats, waitlist and attendance."""
    meetings = selectors.meetings_with_counts(selectors.meetings_visible_to(request.user)).order_by(
        "-starts_at"
    )
    for meeting in meetings:
        # The buttons: the moves the workflow offers this person now.
        meeting.moves = MEETING.available(meeting, request.user)
    return render(request, "network/meetings/meeting_list.html", {"meetings": meetings})


# --- Preparing a meeting ------------------------------------------------------------------


def _programme_changes(formset):
    """The programme rows typed or changed, to save, and those ticked for deletion."""
    kept = formset.save(commit=False)
    return kept, list(formset.deleted_objects)


def _render_form(request, meeting, form, formset, stale=None):
    return render(
        request,
        "network/meetings/meeting_form.html",
        {"meeting": meeting, "form": form, "formset": formset, "stale": stale},
        status=400 if request.method == "POST" else 200,
    )


@permission("network.manage_meetings")
def meeting_add(request):
    """A new meeting, in preparation until it is published."""
    draft = Meeting(year=timezone.localdate().year)
    form = MeetingForm(request.POST or None, instance=draft)
    formset = ProgrammeFormSet(request.POST or None, instance=draft, prefix="programme")
    if request.method == "POST":
        # Both checked: every error shows at once (the programme reads the typed hours).
        form_ok = form.is_valid()
        formset_ok = formset.is_valid()
        if form_ok and formset_ok:
            kept, _deleted = _programme_changes(formset)
            try:
                meeting = services.meeting_create(
                    meeting=form.instance,
                    programme=kept,
                    actor=request.user,
                    submission_key=form.cleaned_data["submission_key"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    "Rencontre créée, en préparation : publiez-la quand sa page est prête.",
                )
                return redirect("network:meeting_edit", pk=meeting.pk)
        messages.error(
            request, "La rencontre n'est pas enregistrée : corrigez les champs signalés."
        )
    return _render_form(request, None, form, formset)


@object_permission("network.manage_meetings", get=_meeting)
def meeting_edit(request, meeting):
    """The meeting and its programme; the material once it is held."""
    # As saved: the form writes what was typed on ``meeting`` while it checks it.
    saved = copy.copy(meeting)
    form = MeetingEditForm(
        request.POST or None, instance=meeting, initial={"version": meeting.version}
    )
    formset = ProgrammeFormSet(request.POST or None, instance=meeting, prefix="programme")
    stale = None
    if request.method == "POST":
        form_ok = form.is_valid()
        formset_ok = formset.is_valid()
        if form_ok and formset_ok:
            kept, deleted = _programme_changes(formset)
            try:
                services.meeting_update(
                    meeting=meeting,
                    programme=kept,
                    deleted=deleted,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                )
            except StaleWrite as error:
                saved.refresh_from_db()
                theirs = {name: getattr(saved, name) for name in form.fields if name != "version"}
                stale = StaleComparison.since(saved, error, differences(form, theirs))
                data = request.POST.copy()
                data["version"] = saved.version
                current = copy.copy(saved)
                form = MeetingEditForm(data, instance=current)
                form.is_valid()
                formset = ProgrammeFormSet(data, instance=current, prefix="programme")
                formset.is_valid()
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, "Rencontre enregistrée.")
                return redirect("network:meeting_edit", pk=meeting.pk)
        if stale is None:
            messages.error(
                request, "La rencontre n'est pas enregistrée : corrigez les champs signalés."
            )
    return _render_form(request, saved, form, formset, stale)


def meeting_transition(request, pk, transition):
    """The contract's address names the move ``transition``; core.confirm reads ``name``."""
    return _meeting_transition(request, pk=int(pk), name=transition)


@known_transition(MEETING)
@object_permission("network.manage_meetings", get=_meeting)
def _meeting_transition(request, meeting, name):
    """Publish or cancel, after a confirmation page (a cancellation asks the reason)."""
    return take_transition(
        request,
        title=meeting.title,
        transition=MEETING[name],
        check=lambda: services.meeting_transition_check(
            meeting=meeting, actor=request.user, name=name
        ),
        take=lambda reason: services.meeting_transition(
            meeting=meeting, actor=request.user, name=name, reason=reason
        ),
        back_url=reverse("network:meetings"),
        reason_help="Il est envoyé par mail à chaque personne inscrite.",
    )


# --- Registrations ------------------------------------------------------------------------


@object_permission("network.view_registrations", get=_meeting)
def registrations(request, meeting):
    """A meeting's registrations: filters, counts, waitlist, needs, workshops; paginated."""
    user = request.user
    workshops = selectors.workshops_of(meeting)
    workshop_counts = list(workshops)
    filters = RegistrationFilterForm(request.GET or None, workshops=workshops)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.meeting_registrations(
        user,
        meeting,
        state=chosen.get("etat", ""),
        needs_only=chosen.get("besoins", False),
        workshop=chosen.get("atelier"),
    )
    page = Paginator(rows, REGISTRATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows_shown = list(page.object_list)
    for registration in rows_shown:
        registration.can_cancel = REGISTRATION.allows(registration, user, "cancel")
    needs = list(selectors.registration_needs(user, meeting))
    counts = selectors.meetings_with_counts(
        selectors.meetings_visible_to(user).filter(pk=meeting.pk)
    ).get()
    query = urlencode({key: value for key, value in request.GET.items() if key != "page" and value})
    context = {
        "meeting": meeting,
        "counts": counts,
        "filters": filters,
        "page_obj": page,
        "registrations": rows_shown,
        "query": query,
        "waitlist": selectors.waitlist_of(user, meeting),
        "needs": needs,
        "dietary_count": sum(1 for r in needs if r.dietary_needs),
        "accessibility_count": sum(1 for r in needs if r.accessibility_needs),
        "workshops": workshop_counts,
        "can_cancel": allowed(user, "network.manage_meetings"),
        "workshop_filter": bool(workshop_counts),
    }
    return render(request, "network/meetings/registrations.html", context)


@object_permission("network.view_registrations", get=_meeting)
def registrations_export(request, meeting, fmt):
    """The registrations as a spreadsheet (formulas neutralised by core.exports)."""
    return export_response(
        actor=request.user,
        subject=meeting,
        what="Inscriptions",
        fmt=fmt,
        filename=f"inscriptions-{meeting.slug}",
        header=REGISTRATION_HEADER,
        rows=registration_rows(selectors.meeting_registrations(request.user, meeting)),
    )


@object_permission("network.manage_meetings", get=_meeting)
def registration_cancel_by_coordination(request, meeting, registration_pk):
    """Cancel one person's registration; their seat goes to the first waitlisted person."""
    registration = get_object_or_404(
        selectors.registrations_visible_to(request.user, meeting), pk=registration_pk
    )
    back_url = reverse("network:registrations", kwargs={"pk": meeting.pk})
    return take_transition(
        request,
        title=registration.full_name,
        transition=replace(
            REGISTRATION["cancel"],
            confirm=(
                "La personne ne fait plus partie des inscrits ; sa place va à la première "
                "personne de la liste d'attente."
            ),
        ),
        check=lambda: REGISTRATION.check(registration, request.user, "cancel"),
        take=lambda reason: cancel_registration(registration=registration, actor=request.user),
        back_url=back_url,
    )


# --- The public archive -------------------------------------------------------------------


@require_GET
@login_not_required
@public_cache.public_page()
def archive(request):
    """The upcoming meeting and the meetings held, with their programme."""
    upcoming, past = selectors.archive_meetings()
    return render(request, "network/meetings/archive.html", {"upcoming": upcoming, "past": past})
