from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = "Jury"

    def ready(self):
        from jury import bundle, documents, signals  # noqa: F401 - connects the receivers

        bundle.register()
        documents.register()
