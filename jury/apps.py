from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = "Jury"

    def ready(self):
        from jury import signals  # noqa: F401 - connects the receivers
