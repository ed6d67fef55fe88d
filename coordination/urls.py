from django.urls import path

from coordination.views import exports

app_name = "coordination"

urlpatterns: list = [
    # --- exports ---
    path("pilotage/exports/", exports.export_list, name="exports"),
    path("pilotage/exports/<int:pk>/", exports.export_job, name="export_job"),
    path("pilotage/exports/<int:pk>/fichier/", exports.export_download, name="export_download"),
]
