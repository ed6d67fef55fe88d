"""The coordination's tools: the edition's dashboard, the exports and the audit trail."""

from django.urls import path

from coordination.views import audit, dashboard, exports

app_name = "coordination"

urlpatterns: list = [
    # --- dashboard ---
    path("pilotage/", dashboard.dashboard, name="dashboard"),
    path("pilotage/contrats/<id:pk>/", dashboard.dashboard_contract, name="dashboard_contract"),
    # --- exports ---
    path("pilotage/exports/", exports.export_list, name="exports"),
    path("pilotage/exports/<id:pk>/", exports.export_job, name="export_job"),
    path("pilotage/exports/<id:pk>/fichier/", exports.export_download, name="export_download"),
    # --- audit ---
    path("pilotage/journal/", audit.audit_list, name="audit"),
    path("pilotage/journal/<id:pk>/", audit.audit_event, name="audit_event"),
    path("pilotage/journal.<str:fmt>", audit.audit_export, name="audit_export"),
]
