from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalConfig(AppConfig):
    name = "label_portal"
    verbose_name = "Portail"


class PortalAdminConfig(AdminConfig):
    default_site = "core.admin_site.PortalAdminSite"
