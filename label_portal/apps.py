from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalConfig(AppConfig):
    name = "label_portal"
    verbose_name = "Portail"

    def ready(self):
        from django.apps import apps

        from core import cache_versions
        from label_portal import space

        # The role blocks of « Mon espace », cached per viewer while none of these changes.
        cache_versions.watch(space.VERSION, *(apps.get_model(label) for label in space.READ))

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
