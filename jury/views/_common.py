from urllib.parse import urlencode

from core.forms import attach_errors, flash_errors  # noqa: F401 - used by the jury views
from jury import selectors

# A page lists this many projects: the pages' weight does not grow with the session.
PROJECTS_PER_PAGE = 20


def kept_page(request, name: str) -> str:
    """The query string that keeps another list's page (« ordre=3 »), for a page's links."""
    value = request.GET.get(name, "")
    return urlencode({name: value}) if value.isdigit() else ""


def session_of(request, pk):
    """The session, if the person may see it (for ``object_permission``)."""
    return selectors.sessions_visible_to(request.user).filter(pk=pk).first()
