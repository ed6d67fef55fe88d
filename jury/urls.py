from django.urls import path

from jury.views import association, bundle, deliberation, juror, publication, setup

app_name = "jury"

urlpatterns = [
    path("editions/<int:edition_pk>/criteres/", setup.criteria, name="criteria"),
    path(
        "editions/<int:edition_pk>/criteres/preparer/",
        setup.criteria_initialise,
        name="criteria_initialise",
    ),
    path("criteres/<int:pk>/", setup.criterion_update, name="criterion_update"),
    path("criteres/<int:pk>/<slug:action>/", setup.criterion_action, name="criterion_action"),
    path("seances/", setup.session_list, name="session_list"),
    path("seances/nouvelle/", setup.session_form, name="session_create"),
    path("seances/<int:pk>/", juror.session_detail, name="session_detail"),
    path("seances/<int:pk>/modifier/", setup.session_form, name="session_update"),
    path("seances/<int:pk>/jures/", setup.juror_add, name="juror_add"),
    path(
        "seances/<int:pk>/jures/<int:member_pk>/retirer/",
        setup.juror_remove,
        name="juror_remove",
    ),
    path("seances/<int:pk>/auditions/", setup.audition_add, name="audition_add"),
    path(
        "seances/<int:pk>/auditions/<int:audition_pk>/<slug:action>/",
        setup.audition_action,
        name="audition_action",
    ),
    path("seances/<int:pk>/ouvrir/", setup.session_open, name="session_open"),
    path("seances/<int:pk>/convoquer/", setup.session_convene, name="session_convene"),
    path("seances/<int:pk>/declarations/", juror.declarations, name="declarations"),
    path("seances/<int:pk>/dossier-du-jury/", bundle.bundle_status, name="bundle"),
    path(
        "seances/<int:pk>/dossier-du-jury/etat/",
        bundle.bundle_progress,
        name="bundle_progress",
    ),
    path(
        "seances/<int:pk>/dossier-du-jury.pdf",
        bundle.bundle_download,
        name="bundle_download",
    ),
    path("seances/<int:pk>/projets/<int:project_pk>/", juror.dossier, name="dossier"),
    path(
        "seances/<int:pk>/projets/<int:project_pk>/pieces/<int:attachment_pk>/",
        juror.dossier_attachment,
        name="dossier_attachment",
    ),
    path(
        "seances/<int:pk>/projets/<int:project_pk>/evaluation/",
        juror.evaluation,
        name="evaluation",
    ),
    path("seances/<int:pk>/resultats/", deliberation.results, name="results"),
    path("seances/<int:pk>/deliberation/", deliberation.deliberation, name="deliberation"),
    path(
        "seances/<int:pk>/deliberation/<int:project_pk>/",
        deliberation.proposal_save,
        name="proposal_save",
    ),
    path("seances/<int:pk>/presences/", deliberation.presence_save, name="presence_save"),
    path("seances/<int:pk>/clore/", deliberation.session_close, name="session_close"),
    path(
        "seances/<int:pk>/notes.<slug:fmt>",
        deliberation.scores_export,
        name="scores_export",
    ),
    path("seances/<int:pk>/proces-verbal.pdf", deliberation.minutes, name="minutes"),
    path("auditions/<int:pk>/reponse/", association.audition_reply, name="audition_reply"),
    path(
        "editions/<int:edition_pk>/publier/",
        publication.results_publish,
        name="results_publish",
    ),
    path("retours/<int:project_pk>/", publication.feedback, name="feedback"),
]
