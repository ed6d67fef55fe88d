from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalConfig(AppConfig):
    name = "label_portal"
    verbose_name = "Portail"

    def ready(self):
        from label_portal import converters

        converters.register()


class PortalAdminConfig(AdminConfig):
    default_site = "label_portal.admin_site.PortalAdminSite"
