from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/ouvrir/", views.notification_open, name="open"),
    path("notifications/tout-lu/", views.notifications_read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("envois/", views.outbox, name="outbox"),
    path("envois/en-attente/", views.mail_queue, name="mail_queue"),
    path("envois/en-attente/<int:pk>/renvoyer/", views.mail_retry, name="mail_retry"),
    path("envois/<int:pk>/", views.mailing_detail, name="mailing"),
    path("envois/<int:pk>/envoyer/", views.mailing_send, name="mailing_send"),
    path("envois/<int:pk>/annuler/", views.mailing_cancel, name="mailing_cancel"),
    path(
        "envois/<int:pk>/messages/<int:message_pk>/",
        views.mailing_message,
        name="mailing_message",
    ),
]
