from core.forms import attach_errors, flash_errors  # noqa: F401 - used by the jury views
from jury import selectors


def session_of(request, pk):
    """The session, if the person may see it (for ``object_permission``)."""
    return selectors.sessions_visible_to(request.user).filter(pk=pk).first()
