"""The network's addresses: public ones under « reseau/ », signed-in ones under « espace/reseau/ »."""

from django.urls import path

from network.views import directory

app_name = "network"

urlpatterns: list = [
    # --- directory -------------------------------------------------------------------------
    path("reseau/", directory.index, name="index"),
    path("reseau/membres/<slug:slug>/", directory.member, name="member"),
    path("espace/reseau/", directory.space, name="space"),
    path("espace/reseau/membres/", directory.members_admin, name="members_admin"),
    path("espace/reseau/membres/ajouter/", directory.member_add, name="member_add"),
    path("espace/reseau/membres/<id:pk>/modifier/", directory.member_edit, name="member_edit"),
    # --- meetings (coordination) -----------------------------------------------------------
    # --- registration ----------------------------------------------------------------------
    # --- attendance ------------------------------------------------------------------------
]
