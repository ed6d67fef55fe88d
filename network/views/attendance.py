"""The check-in at the door (a phone page), the attendance sheet and the certificate."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.forms import flash_errors
from core.permissions import object_permission, or_404
from core.text import plural
from network import selectors
from network.forms_attendance import CheckinSearchForm
from network.services import attendance as services
from network.tokens import registration_from_token, registration_token

LIST = "liste"


def meeting_of(request, pk):
    """The meeting, if the person may see it (for ``object_permission``)."""
    return selectors.meetings_visible_to(request.user).filter(pk=pk).first()


def _counts(meeting) -> dict:
    counts = selectors.attendance_counts(meeting)
    return {
        **counts,
        "present_word": plural(counts["present"], "présent·e", "présent·es"),
        "seated_word": plural(counts["seated"], "inscrit·e", "inscrit·es"),
    }


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@object_permission("network.check_in", get=meeting_of)
def checkin(request, meeting):
    """Type a code or a name; note the people present, one tap each."""
    form = CheckinSearchForm(request.GET or None)
    search = ""
    if form.is_valid():
        code = form.code()
        if code:
            registration = selectors.registration_by_code(request.user, meeting, code)
            if registration is not None:
                return redirect("network:checkin_code", pk=meeting.pk, code=code)
            messages.error(request, f"Aucune inscription ne porte le code « {code} ».")
        else:
            search = form.cleaned_data["q"].strip()
    registrations = list(selectors.checkin_list(request.user, meeting, search=search))
    rows = [
        {"registration": registration, "token": registration_token(registration)}
        for registration in registrations
    ]
    return render(
        request,
        "network/attendance/checkin.html",
        {
            "meeting": meeting,
            "form": form,
            "search": search,
            "rows": rows,
            "counts": _counts(meeting),
            "list_mark": LIST,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@object_permission("network.check_in", get=meeting_of)
def checkin_code(request, meeting, code):
    """What the QR code opens: the person, their state, and « Noter la présence »."""
    normalised = services.normalise_checkin_code(code)
    registration = or_404(
        normalised and selectors.registration_by_code(request.user, meeting, normalised)
    )
    if normalised != code:
        return redirect("network:checkin_code", pk=meeting.pk, code=normalised)
    if request.method == "POST":
        _note(request, registration)
        if request.POST.get("retour") == LIST:
            # Back to the list as it was (the same search), at the person.
            back = reverse("network:checkin", args=[meeting.pk])
            search = request.POST.get("q", "").strip()[:100]
            query = f"?{urlencode({'q': search})}" if search else ""
            return redirect(f"{back}{query}#inscription-{registration.pk}")
        return redirect("network:checkin_code", pk=meeting.pk, code=code)
    return render(
        request,
        "network/attendance/checkin_code.html",
        {
            "meeting": meeting,
            "registration": registration,
            "token": registration_token(registration),
            "counts": _counts(meeting),
        },
    )


def _note(request, registration) -> None:
    """Take the move the button asked for; a refusal (no seat) is told, nothing changes."""
    name = registration.full_name
    undo = request.POST.get("action") == "unattend"
    move = services.undo_check_in if undo else services.check_in
    try:
        _registration, changed = move(registration=registration, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return
    if undo:
        if changed:
            messages.success(request, f"Émargement annulé pour {name}.")
        else:
            messages.info(request, f"{name} n'était pas noté·e présent·e.")
    elif changed:
        messages.success(request, f"Présence notée : {name}.")
    else:
        messages.info(request, f"{name} était déjà noté·e présent·e.")


@object_permission("network.check_in", get=meeting_of)
def attendance_sheet(request, meeting):
    """The feuille d'émargement, to print and sign at the door."""
    content = services.attendance_sheet_pdf(meeting=meeting)
    return _pdf(content, services.attendance_sheet_filename(meeting))


def registration_of_token(request, token):
    """The registration a mailed link names (for ``object_permission``); forged: 404."""
    return registration_from_token(token)


@login_not_required
@object_permission("network.download_certificate", get=registration_of_token)
def attendance_certificate(request, registration):
    """The attestation de présence: for a person who attended, by the link of their mails."""
    content = services.certificate_pdf(registration=registration)
    return _pdf(content, services.certificate_filename(registration))
