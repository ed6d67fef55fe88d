"""The session's documents built in the background (core.files): the jury's dossier as one
PDF, and the minutes. Ask for one, watch it being built, download it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from core import files
from core.models import BackgroundFile
from core.permissions import object_permission
from jury import bundle as bundles
from jury.views._common import session_of


def file_page(request, session, file: BackgroundFile | None, **context):
    """The page of one document: its state and progress, the button, the download link."""
    return render(request, "jury/session_file.html", {"session": session, "file": file, **context})


def file_download(request, file: BackgroundFile | None, page_url: str):
    """The ready file; before, back to its page, which tells how far it is."""
    if file is None or not file.is_ready:
        messages.info(
            request, "Le document n'est pas encore prêt : il s'affichera ici dès qu'il le sera."
        )
        return redirect(page_url)
    return files.download_response(file)


@object_permission("jury.view_session", get=session_of)
def bundle_status(request, session):
    if request.method == "POST":
        bundle = bundles.bundle_request(session=session, user=request.user)
        if not bundle.is_ready:
            messages.success(request, "La préparation du dossier du jury a commencé.")
        return redirect("jury:bundle", pk=session.pk)
    intro = (
        "Tous les dossiers de la séance en un seul document : couverture, ordre de passage, "
        "puis chaque projet tel qu'il a été déposé."
    )
    if not bundles.whole_bundle_for(request.user):
        intro += (
            " Les projets pour lesquels vous avez déclaré un conflit d'intérêts n'y figurent pas."
        )
    return file_page(
        request,
        session,
        bundles.bundle_current(session=session, user=request.user),
        heading="Dossier du jury (PDF)",
        intro=intro,
        button="Préparer le dossier du jury",
        download_url=reverse("jury:bundle_download", args=[session.pk]),
        refresh_url=reverse("jury:bundle", args=[session.pk]),
        back_url=session.get_absolute_url(),
        back_label="Retour à la séance",
    )


@object_permission("jury.view_session", get=session_of)
def bundle_download(request, session):
    return file_download(
        request,
        bundles.bundle_current(session=session, user=request.user),
        reverse("jury:bundle", args=[session.pk]),
    )
