from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("projets/", views.project_list, name="project_list"),
    path("projets/nouveau/", views.project_create, name="project_create"),
    path("projets/<id:pk>/", views.project_detail, name="project_detail"),
    path(
        "projets/<id:pk>/dossier/<slug:section>/",
        views.project_section,
        name="project_section",
    ),
    path(
        "projets/<id:pk>/action/<slug:name>/",
        views.project_transition,
        name="project_transition",
    ),
    path("projets/<id:pk>/supprimer/", views.project_delete, name="project_delete"),
    path("projets/<id:pk>/messages/", views.message_create, name="message_create"),
    path("projets/<id:pk>/suivi/", views.coaching_entry_create, name="coaching_entry_create"),
    path("projets/<id:pk>/verification/", views.checklist_update, name="checklist_update"),
    path("projets/<id:pk>/attribuer/", views.project_assign, name="project_assign"),
    path("projets/<id:pk>/pieces/", views.attachments, name="attachments"),
    path(
        "projets/<id:pk>/pieces/<id:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "projets/<id:pk>/pieces/<id:attachment_pk>/supprimer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("projets/<id:pk>/dossier-depose.pdf", views.deposit_pdf, name="deposit_pdf"),
    path("accompagnement/", views.inbox, name="inbox"),
    path("coordination/editions/", views.edition_list, name="edition_list"),
    path("coordination/editions/nouvelle/", views.edition_form, name="edition_create"),
    path("coordination/editions/<id:pk>/", views.edition_form, name="edition_update"),
    path(
        "coordination/editions/<id:pk>/action/<slug:name>/",
        views.edition_transition,
        name="edition_transition",
    ),
]
