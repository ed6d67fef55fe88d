from django.urls import path

from laureates.views import certificate, space

app_name = "laureates"

urlpatterns: list = [
    # Public pages under /laureats/, the laureates' and coordination's under /espace/laureats/.
    # The laureate's space, the certificate and the badge kit (views/space.py, certificate.py).
    path("espace/laureats/", space.mine, name="mine"),
    path("espace/laureats/<id:pk>/", space.space, name="space"),
    path("espace/laureats/<id:pk>/attestation.pdf", certificate.certificate, name="certificate"),
    path("espace/laureats/<id:pk>/badge.svg", space.badge_svg, name="badge_svg"),
    path("espace/laureats/<id:pk>/badge-<slug:size>.png", space.badge_png, name="badge_png"),
    path("laureats/verifier/", certificate.verify_form, name="verify_form"),
    path("laureats/verifier/<str:code>/", certificate.verify, name="verify"),
]
