from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Projets et dépôts"

    def ready(self):
        from accounts.models import Association, CityContract, Commune, Membership, Qpv, User
        from core import cache_versions
        from core.models import Event
        from submissions import filters, mailings, models, selectors

        mailings.register()
        cache_versions.watch(filters.CHOICES_VERSION, Commune, Qpv, models.Edition)
        cache_versions.watch(filters.INBOX_VERSION, *filters.INBOX_READ)
        # Everything the project page's fragments show: the dossier, its history and thread,
        # the names of who wrote them, the roles that choose the buttons, the open edition.
        cache_versions.watch(
            selectors.PAGE_VERSION,
            models.Project,
            models.BudgetLine,
            models.Attachment,
            models.DepositSnapshot,
            models.CoachingEntry,
            models.Message,
            models.ProjectChange,
            models.Edition,
            Event,
            User,
            Membership,
            Association,
            CityContract,
            Commune,
            Qpv,
        )
