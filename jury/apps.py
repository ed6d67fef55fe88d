from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = "Jury"

    def ready(self):
        from django.apps import apps

        from core import cache_versions
        from jury import bundle, documents, signals  # noqa: F401 - connects the receivers
        from jury.selectors import PAGES_READ, PAGES_VERSION, RESULTS_READ, RESULTS_VERSION

        bundle.register()
        documents.register()
        cache_versions.watch(RESULTS_VERSION, *(apps.get_model(label) for label in RESULTS_READ))
        cache_versions.watch(PAGES_VERSION, *(apps.get_model(label) for label in PAGES_READ))
