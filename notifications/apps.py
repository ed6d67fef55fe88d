from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications et envois"

    def ready(self):
        from notifications import schedule

        schedule.register()
