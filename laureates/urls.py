from django.urls import path

from laureates.views import followup

app_name = "laureates"

FOLLOWUP = "espace/laureats/<id:pk>/suivi/"
REPORT = FOLLOWUP + "bilans/<id:report_pk>/"

urlpatterns: list = [
    # Public pages under /laureats/, the laureates' and coordination's under /espace/laureats/.
    # --- Suivi: the follow-up of funded projects ---
    path("espace/laureats/suivi/", followup.overview, name="followup_overview"),
    path(FOLLOWUP, followup.followup, name="followup"),
    path(
        FOLLOWUP + "etapes/<id:milestone_pk>/avancement/",
        followup.milestone_update,
        name="followup_milestone",
    ),
    path(FOLLOWUP + "realise/", followup.complete, name="followup_complete"),
    path(REPORT, followup.report_detail, name="followup_report"),
    path(REPORT + "pieces/<id:file_pk>/", followup.report_file, name="followup_report_file"),
    path(
        REPORT + "pieces/<id:file_pk>/supprimer/",
        followup.report_file_delete,
        name="followup_report_file_delete",
    ),
    path(REPORT + "<slug:name>/", followup.report_transition, name="followup_report_transition"),
    path(FOLLOWUP + "<slug:kind>/ajouter/", followup.agreement_item_add, name="followup_item_add"),
    path(
        FOLLOWUP + "<slug:kind>/<id:item_pk>/modifier/",
        followup.agreement_item_edit,
        name="followup_item_edit",
    ),
    path(
        FOLLOWUP + "<slug:kind>/<id:item_pk>/supprimer/",
        followup.agreement_item_delete,
        name="followup_item_delete",
    ),
]
