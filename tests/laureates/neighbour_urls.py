"""The portal's URLs, plus stand-ins for the laureates URL names another part of issue 9 brings.

The public pages link to a card's photo (``laureates:photo``) and to the open
data (``laureates:export_csv``, ``laureates:export_json``) only when those URL
names exist (``{% url … as … %}``). Tests of those links use this URLconf
(``@pytest.mark.urls("tests.laureates.neighbour_urls")``): a stand-in is added
only for a name the portal does not have, so once the real views are there the
tests run against them.
"""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from label_portal.urls import urlpatterns as portal_patterns
from laureates import urls as laureate_urls


def stand_in(request, **kwargs):
    return HttpResponse(b"", content_type="application/octet-stream")


STAND_INS = [
    path("laureats/export.csv", stand_in, name="export_csv"),
    path("laureats/export.json", stand_in, name="export_json"),
    path("laureats/photos/<int:pk>/", stand_in, name="photo"),
]

_existing = {pattern.name for pattern in laureate_urls.urlpatterns}
_laureate_patterns = [
    *(pattern for pattern in STAND_INS if pattern.name not in _existing),
    *laureate_urls.urlpatterns,
]

urlpatterns = [
    *(
        pattern
        for pattern in portal_patterns
        if not (isinstance(pattern, URLResolver) and pattern.namespace == "laureates")
    ),
    path("", include((_laureate_patterns, "laureates"))),
]
