from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.forms import attach_errors  # noqa: F401 - used by the jury views
from jury import selectors


def session_or_404(request, pk):
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


def coordinated_session_or_404(request, pk):
    if not request.user.is_coordinator:
        raise Http404
    return session_or_404(request, pk)


def seat_or_404(request, session):
    member = selectors.seat_of(request.user, session)
    if member is None:
        raise Http404
    return member


def flash_errors(request, error: ValidationError) -> None:
    from django.contrib import messages

    for message in error.messages:
        messages.error(request, message)
