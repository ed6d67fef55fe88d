"""Each person's rights on their data: download it, erase the account; the retention periods."""

from django.urls import path

from privacy.views import data, erase, export

app_name = "privacy"

urlpatterns = [
    # --- privacy ---
    path("mes-donnees/", data.hub, name="data"),
    path("mes-donnees/supprimer-mon-compte/", erase.erase, name="erase"),
    # --- export ---
    path("mes-donnees/export/", export.data_export, name="data_export"),
    path(
        "mes-donnees/export/<id:pk>/fichier/",
        export.data_export_download,
        name="data_export_download",
    ),
]
