from django.urls import path

from privacy.views import data, export

app_name = "privacy"

urlpatterns: list = [
    # --- hub (minimal: the privacy part's « Mes données » page replaces it) ---
    path("mes-donnees/", data.data, name="data"),
    # --- export ---
    path("mes-donnees/export/", export.data_export, name="data_export"),
    path(
        "mes-donnees/export/<int:pk>/fichier/",
        export.data_export_download,
        name="data_export_download",
    ),
]
