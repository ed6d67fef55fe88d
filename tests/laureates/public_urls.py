"""The portal's URL conf, with the public pages' URL names whatever the branch.

The open data, the feed and the sitemap link to each laureate's page
(``laureates:detail``) and each edition's (``laureates:year``), which the
public pages declare in ``laureates.urls``. Where a name is not declared yet,
these tests route its contract path (DESIGN.md, « Public addresses ») to an
empty answer; once declared, this is ``label_portal.urls`` unchanged.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import URLResolver, include, path

import laureates.urls
from label_portal import urls as root

PUBLIC_PAGES = {
    "list": "laureats/",
    "year": "laureats/<int:year>/",
    "detail": "laureats/<int:year>/<slug:slug>/",
}


@login_not_required
def _empty(request, **kwargs):
    return HttpResponse("")


_declared = {pattern.name for pattern in laureates.urls.urlpatterns}
_patterns = [
    *laureates.urls.urlpatterns,
    *(path(r, _empty, name=n) for n, r in PUBLIC_PAGES.items() if n not in _declared),
]

urlpatterns = [
    path("", include((_patterns, "laureates")))
    if isinstance(pattern, URLResolver) and pattern.namespace == "laureates"
    else pattern
    for pattern in root.urlpatterns
]
