from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = "Pilotage, exports et journal"

    def ready(self):
        from accounts.models import CityContract, Membership, Qpv, User
        from coordination import exports, stats
        from core import cache_versions
        from core.models import Event
        from laureates.models import Laureate, Showcase
        from submissions.models import CoachingEntry, Edition, Message, Project

        exports.register()
        # What the dashboard's figures read: a change of it makes them stale.
        cache_versions.watch(
            stats.VERSION,
            Project,
            Event,
            Message,
            CoachingEntry,
            Laureate,
            Edition,
            Showcase,
            CityContract,
            Qpv,
            User,
            Membership,
        )
