"""The coordination's tools: the edition's dashboard, the exports and the audit trail."""

from django.urls import path

from coordination.views import dashboard

app_name = "coordination"

urlpatterns: list = [
    # --- dashboard ---
    path("pilotage/", dashboard.dashboard, name="dashboard"),
    path("pilotage/contrats/<id:pk>/", dashboard.dashboard_contract, name="dashboard_contract"),
]
