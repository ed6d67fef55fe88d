"""Each person's rights on their data: download it, erase the account; the retention periods."""

from django.urls import path

from privacy.views import data, erase

app_name = "privacy"

urlpatterns = [
    # --- privacy ---
    path("mes-donnees/", data.hub, name="data"),
    path("mes-donnees/supprimer-mon-compte/", erase.erase, name="erase"),
]
