"""The network's addresses: public ones under « reseau/ », signed-in ones under « espace/reseau/ »."""

from django.urls import path

from network.views import attendance

app_name = "network"

urlpatterns: list = [
    # --- directory -------------------------------------------------------------------------
    # --- meetings (coordination) -----------------------------------------------------------
    # --- registration ----------------------------------------------------------------------
    # --- attendance ------------------------------------------------------------------------
    path(
        "espace/reseau/rencontres/<int:pk>/emargement/",
        attendance.checkin,
        name="checkin",
    ),
    path(
        "espace/reseau/rencontres/<int:pk>/emargement/<str:code>/",
        attendance.checkin_code,
        name="checkin_code",
    ),
    path(
        "espace/reseau/rencontres/<int:pk>/feuille-emargement.pdf",
        attendance.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "reseau/inscription/<str:token>/attestation.pdf",
        attendance.attendance_certificate,
        name="attendance_certificate",
    ),
]
