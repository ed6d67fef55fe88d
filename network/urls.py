"""The network's addresses: public ones under « reseau/ », signed-in ones under « espace/reseau/ »."""

from django.urls import path

from network.views import attendance, registration

app_name = "network"

urlpatterns = [
    # --- directory -------------------------------------------------------------------------
    # --- meetings (coordination) -----------------------------------------------------------
    # --- registration ----------------------------------------------------------------------
    path("reseau/rencontres/<slug:slug>/", registration.meeting, name="meeting"),
    path("reseau/rencontres/<slug:slug>/inscription/", registration.register, name="register"),
    path("reseau/inscription/<str:token>/", registration.registration, name="registration"),
    path(
        "reseau/inscription/<str:token>/confirmer/",
        registration.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "reseau/inscription/<str:token>/annuler/",
        registration.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "reseau/inscription/<str:token>/rencontre.ics",
        registration.registration_ics,
        name="registration_ics",
    ),
    path(
        "reseau/inscription/<str:token>/qr.svg",
        registration.registration_qr,
        name="registration_qr",
    ),
    # --- attendance ------------------------------------------------------------------------
    # What the QR code opens (the "attendance" engineer's page; a minimal one here).
    path(
        "espace/reseau/rencontres/<int:pk>/emargement/<str:code>/",
        attendance.checkin_code,
        name="checkin_code",
    ),
]
