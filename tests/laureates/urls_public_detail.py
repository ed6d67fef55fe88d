"""The portal's URLs with a public card page at laureates:detail.

The laureate's space links to the public card (laureates:detail, the public
pages' URL); this URL configuration lets its tests follow that link whatever
the public pages answer.
"""

from django.http import HttpResponse
from django.urls import include, path

from label_portal.urls import urlpatterns as portal_urlpatterns
from laureates.urls import urlpatterns as laureate_urlpatterns


def public_card(request, year, slug):
    return HttpResponse(f"{year} {slug}")


# Listed first: its "laureates" namespace is the one reverse() reads.
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *laureate_urlpatterns,
                    path("laureats/<int:year>/<slug:slug>/", public_card, name="detail"),
                ],
                "laureates",
            )
        ),
    ),
    *portal_urlpatterns,
]
