"""« Mes données »: what the portal holds about me, a copy of it, the erasure of my account."""

from django.shortcuts import render

from core.permissions import permission
from privacy import export, selectors
from privacy.retention import RETENTION


@permission("privacy.view_own_data")
def hub(request):
    return render(
        request,
        "privacy/data.html",
        {
            "holdings": selectors.personal_data_summary(request.user),
            "retention": RETENTION,
            "data_exports": export.data_exports_of(request.user),
        },
    )
