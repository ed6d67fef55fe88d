"""The coordination's tools: the edition's dashboard, the exports and the audit trail."""

from django.urls import path

from coordination.views import audit

app_name = "coordination"

urlpatterns: list = [
    # --- audit ---
    path("pilotage/journal/", audit.audit_list, name="audit"),
    path("pilotage/journal/<int:pk>/", audit.audit_event, name="audit_event"),
    path("pilotage/journal.<str:fmt>", audit.audit_export, name="audit_export"),
]
