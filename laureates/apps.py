from django.apps import AppConfig


class LaureatesConfig(AppConfig):
    name = "laureates"
    verbose_name = "Lauréats"

    def ready(self):
        from laureates import schedule

        schedule.register()
