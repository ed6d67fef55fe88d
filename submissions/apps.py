from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Projets et dépôts"

    def ready(self):
        from accounts.models import Commune, Qpv
        from core import cache_versions
        from submissions import filters, mailings
        from submissions.models import Edition

        mailings.register()
        cache_versions.watch(filters.CHOICES_VERSION, Commune, Qpv, Edition)
        cache_versions.watch(filters.INBOX_VERSION, *filters.INBOX_READ)
