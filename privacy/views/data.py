"""« Mes données »: a minimal hub while the privacy part's page is not merged (it replaces this)."""

from django.shortcuts import render

from core.permissions import permission
from privacy import export


@permission("privacy.export_own_data")
def data(request):
    return render(
        request, "privacy/data.html", {"data_exports": export.data_exports_of(request.user)}
    )
