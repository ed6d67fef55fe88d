from django.contrib import admin
from django.urls import include, path

from label_portal import views
from privacy.retention import RETENTION

pages_patterns = (
    [
        path("accessibilite/", views.public_page("pages/accessibility.html"), name="accessibility"),
        path("mentions-legales/", views.public_page("pages/legal.html"), name="legal"),
        path(
            "donnees-personnelles/",
            # The retention periods are the ones privacy.retention applies.
            views.public_page("pages/privacy.html", {"retention": RETENTION}),
            name="privacy",
        ),
        path("plan-du-site/", views.public_page("pages/sitemap.html"), name="sitemap"),
    ],
    "pages",
)

territory_patterns = ([path("", views.city_contracts, name="contracts")], "territory")

urlpatterns = [
    path("", views.home, name="home"),
    path("contrats-de-ville/", include(territory_patterns)),
    path("", include(pages_patterns)),
    path("espace/", views.DashboardView.as_view(), name="dashboard"),
    path("", include("accounts.urls")),
    path("espace/", include("submissions.urls")),
    path("espace/jury/", include("jury.urls")),
    path("", include("laureates.urls")),
    path("", include("network.urls")),
    path("espace/", include("notifications.urls")),
    path("espace/", include("coordination.urls")),
    path("espace/", include("privacy.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("admin/", admin.site.urls),
]
