"""The check-in page a registration's QR code opens (minimal: the "attendance" engineer's
module replaces it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from core.forms import flash_errors
from core.permissions import object_permission
from network import selectors
from network.services import attendance as services


def _meeting(request, pk):
    return selectors.meetings_visible_to(request.user).filter(pk=pk).first()


@object_permission("network.check_in", get=_meeting)
def checkin_code(request, meeting, code):
    """The person of a check-in code, and the « Noter la présence » button."""
    registration = get_object_or_404(
        meeting.registrations, checkin_code=code.strip().upper().replace(" ", "")
    )
    if request.method == "POST" and not registration.has_attended:
        try:
            services.check_in(registration=registration, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"Présence de {registration.full_name} notée.")
        return redirect(request.path)
    context = {"meeting": meeting, "registration": registration}
    return render(request, "network/attendance/checkin_code.html", context)
