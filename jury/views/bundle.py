"""The jury's dossier as one PDF: ask for it, watch it being built, download it."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from core.downloads import private_file_response
from core.permissions import not_found, object_permission, or_404
from jury import bundle as bundles
from jury.views._common import session_of


@object_permission("jury.view_session", get=session_of)
def bundle_status(request, session):
    if request.method == "POST":
        bundles.bundle_request(session=session, user=request.user)
        messages.success(request, "La préparation du dossier du jury a commencé.")
        return redirect("jury:bundle", pk=session.pk)
    current = bundles.bundle_current(session=session, user=request.user)
    context = {
        "session": session,
        "bundle": current,
        "whole_bundle": bundles.whole_bundle_for(request.user),
    }
    return render(request, "jury/bundle.html", context)


@object_permission("jury.view_session", get=session_of)
def bundle_progress(request, session):
    """The state of the bundle as JSON, for the page's progress bar."""
    current = or_404(bundles.bundle_current(session=session, user=request.user))
    return JsonResponse(
        {
            "state": current.state,
            "label": str(current.get_state_display()),
            "done": current.done_count,
            "total": current.total,
            "percent": current.percent,
        }
    )


@object_permission("jury.view_session", get=session_of)
def bundle_download(request, session):
    current = bundles.bundle_current(session=session, user=request.user)
    if current is None or not current.is_done:
        not_found()
    return private_file_response(
        current.pdf, f"dossier-du-jury-{session.pk}.pdf", "application/pdf"
    )
