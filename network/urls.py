"""The network's addresses: public ones under « reseau/ », signed-in ones under « espace/reseau/ »."""

app_name = "network"

urlpatterns: list = [
    # --- directory -------------------------------------------------------------------------
    # --- meetings (coordination) -----------------------------------------------------------
    # --- registration ----------------------------------------------------------------------
    # --- attendance ------------------------------------------------------------------------
]
