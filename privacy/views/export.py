"""The person's personal-data archive: ask for it, follow it, download it (owner only)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import files
from core.permissions import object_permission, permission
from privacy import export


def data_export_of(request, pk):
    return export.data_export_of(request.user, pk)


def _hub() -> str:
    return reverse("privacy:data") + "#mes-archives"


@require_POST
@permission("privacy.export_own_data")
def data_export(request):
    try:
        _row, created = export.data_export_request(user=request.user)
    except export.TooManyRequests as refused:
        messages.error(request, refused.message)
        return redirect(_hub())
    if created:
        messages.success(
            request,
            "Votre archive est en préparation. Elle apparaît ci-dessous, prête à télécharger "
            "en quelques instants.",
        )
    return redirect(_hub())


@object_permission("privacy.download_data_export", get=data_export_of)
def data_export_download(request, data_export):
    if not data_export.is_ready:
        messages.info(
            request, "Votre archive n'est pas encore prête : elle le sera dans un instant."
        )
        return redirect(_hub())
    return files.download_response(data_export)
