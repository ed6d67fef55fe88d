from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Données personnelles"

    def ready(self):
        from privacy import export, schedule

        export.register()
        schedule.register()
