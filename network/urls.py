"""The network's addresses: public ones under « reseau/ », signed-in ones under « espace/reseau/ »."""

from django.urls import path, re_path

from network.views import attendance, directory, meetings, registration
from network.workflows import MEETING

MEETING_MOVES = "|".join(move.name for move in MEETING.transitions if not move.internal)

app_name = "network"

urlpatterns = [
    # --- directory -------------------------------------------------------------------------
    path("reseau/", directory.index, name="index"),
    path("reseau/membres/<slug:slug>/", directory.member, name="member"),
    path("espace/reseau/", directory.space, name="space"),
    path("espace/reseau/membres/", directory.members_admin, name="members_admin"),
    path("espace/reseau/membres/ajouter/", directory.member_add, name="member_add"),
    path("espace/reseau/membres/<id:pk>/modifier/", directory.member_edit, name="member_edit"),
    # --- meetings (coordination) -----------------------------------------------------------
    path("reseau/rencontres/", meetings.archive, name="archive"),
    path("espace/reseau/rencontres/", meetings.meeting_list, name="meetings"),
    path("espace/reseau/rencontres/nouvelle/", meetings.meeting_add, name="meeting_add"),
    path(
        "espace/reseau/rencontres/<id:pk>/modifier/",
        meetings.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "espace/reseau/rencontres/<id:pk>/inscriptions/",
        meetings.registrations,
        name="registrations",
    ),
    path(
        "espace/reseau/rencontres/<id:pk>/inscriptions.<str:fmt>",
        meetings.registrations_export,
        name="registrations_export",
    ),
    path(
        "espace/reseau/rencontres/<id:pk>/inscriptions/<id:registration_pk>/annuler/",
        meetings.registration_cancel_by_coordination,
        name="registration_cancel_by_coordination",
    ),
    # Only the meeting's moves: the other pages of a meeting keep their addresses.
    re_path(
        rf"^espace/reseau/rencontres/(?P<pk>[0-9]{{1,19}})/(?P<transition>{MEETING_MOVES})/$",
        meetings.meeting_transition,
        name="meeting_transition",
    ),
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
    path(
        "espace/reseau/rencontres/<id:pk>/emargement/",
        attendance.checkin,
        name="checkin",
    ),
    path(
        "espace/reseau/rencontres/<id:pk>/emargement/<str:code>/",
        attendance.checkin_code,
        name="checkin_code",
    ),
    path(
        "espace/reseau/rencontres/<id:pk>/feuille-emargement.pdf",
        attendance.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "reseau/inscription/<str:token>/attestation.pdf",
        attendance.attendance_certificate,
        name="attendance_certificate",
    ),
]
