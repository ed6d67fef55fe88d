from django.urls import path

from jury.views import association, bundle, deliberation, juror, publication, setup

app_name = "jury"

urlpatterns = [
    path("editions/<id:edition_pk>/criteres/", setup.criteria, name="criteria"),
    path(
        "editions/<id:edition_pk>/criteres/preparer/",
        setup.criteria_initialise,
        name="criteria_initialise",
    ),
    path("criteres/<id:pk>/", setup.criterion_update, name="criterion_update"),
    path("criteres/<id:pk>/<slug:action>/", setup.criterion_action, name="criterion_action"),
    path("seances/", setup.session_list, name="session_list"),
    path("seances/nouvelle/", setup.session_form, name="session_create"),
    path("seances/<id:pk>/", juror.session_detail, name="session_detail"),
    path("seances/<id:pk>/modifier/", setup.session_form, name="session_update"),
    path("seances/<id:pk>/jures/", setup.juror_add, name="juror_add"),
    path(
        "seances/<id:pk>/jures/<id:member_pk>/retirer/",
        setup.juror_remove,
        name="juror_remove",
    ),
    path("seances/<id:pk>/auditions/", setup.audition_add, name="audition_add"),
    path(
        "seances/<id:pk>/auditions/<id:audition_pk>/<slug:action>/",
        setup.audition_action,
        name="audition_action",
    ),
    path("seances/<id:pk>/ouvrir/", setup.session_open, name="session_open"),
    path("seances/<id:pk>/convoquer/", setup.session_convene, name="session_convene"),
    path("seances/<id:pk>/declarations/", juror.declarations, name="declarations"),
    path("seances/<id:pk>/dossier-du-jury/", bundle.bundle_status, name="bundle"),
    path(
        "seances/<id:pk>/dossier-du-jury.pdf",
        bundle.bundle_download,
        name="bundle_download",
    ),
    path("seances/<id:pk>/projets/<id:project_pk>/", juror.dossier, name="dossier"),
    path(
        "seances/<id:pk>/projets/<id:project_pk>/pieces/<id:attachment_pk>/",
        juror.dossier_attachment,
        name="dossier_attachment",
    ),
    path(
        "seances/<id:pk>/projets/<id:project_pk>/evaluation/",
        juror.evaluation,
        name="evaluation",
    ),
    path("seances/<id:pk>/resultats/", deliberation.results, name="results"),
    path("seances/<id:pk>/deliberation/", deliberation.deliberation, name="deliberation"),
    path(
        "seances/<id:pk>/deliberation/<id:project_pk>/",
        deliberation.proposal_save,
        name="proposal_save",
    ),
    path("seances/<id:pk>/presences/", deliberation.presence_save, name="presence_save"),
    path("seances/<id:pk>/clore/", deliberation.session_close, name="session_close"),
    path(
        "seances/<id:pk>/notes.<slug:fmt>",
        deliberation.scores_export,
        name="scores_export",
    ),
    path("seances/<id:pk>/proces-verbal/", deliberation.minutes, name="minutes"),
    path(
        "seances/<id:pk>/proces-verbal.pdf",
        deliberation.minutes_download,
        name="minutes_download",
    ),
    path("auditions/<id:pk>/reponse/", association.audition_reply, name="audition_reply"),
    path(
        "editions/<id:edition_pk>/publier/",
        publication.results_publish,
        name="results_publish",
    ),
    path("retours/<id:project_pk>/", publication.feedback, name="feedback"),
]
