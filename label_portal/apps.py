from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalConfig(AppConfig):
    name = "label_portal"
    verbose_name = "Portail"

    def ready(self):
        # What the public pages show: a change of it makes every cached public page stale.
        from accounts.models import CityContract, Commune, Qpv
        from core import public_cache
        from laureates.models import Laureate, Milestone, Showcase
        from laureates.signals import public_content_changed
        from network.models import Meeting, NetworkMember, ProgrammeItem, Registration
        from submissions.models import Edition

        public_cache.watch_models(
            CityContract,
            Commune,
            Qpv,
            Edition,
            Showcase,
            Laureate,
            Milestone,
            # The directory (its members, their communes and projects) and the meetings'
            # pages (programme, seats left).
            NetworkMember,
            Meeting,
            ProgrammeItem,
            Registration,
        )
        public_content_changed.connect(
            public_cache.invalidate, weak=False, dispatch_uid="public-pages:laureates"
        )


class PortalAdminConfig(AdminConfig):
    default_site = "core.admin_site.PortalAdminSite"
