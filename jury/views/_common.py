from urllib.parse import urlencode

from core.forms import attach_errors, flash_errors  # noqa: F401 - used by the jury views
from jury import selectors

# A page lists this many projects: the pages' weight does not grow with the session.
PROJECTS_PER_PAGE = 20


def kept_page(request, *names: str) -> str:
    """The query string that keeps the other lists' pages (« ordre=3 »), for a page's links."""
    kept = {name: request.GET.get(name, "") for name in names}
    return urlencode({name: value for name, value in kept.items() if value.isdigit()})


def session_of(request, pk):
    """The session, if the person may see it (for ``object_permission``)."""
    return selectors.session_for(request.user, pk)
