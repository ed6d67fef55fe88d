from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Projets et dépôts"

    def ready(self):
        from submissions import mailings

        mailings.register()
