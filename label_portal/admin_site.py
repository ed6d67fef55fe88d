from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    """The technical administration, open to coordinators."""

    site_header = "Label Actions Innovantes — administration"
    site_title = "Administration du label"
    index_title = "Données du portail"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and (user.is_coordinator or user.is_superuser))

    def login(self, request, extra_context=None):
        # One sign-in page for the whole portal.
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


class CoordinatorPermissions:
    """Give coordinators every right on a model admin or inline."""

    def _is_coordinator(self, request):
        user = request.user
        return bool(user.is_active and (user.is_coordinator or user.is_superuser))

    def has_module_permission(self, request):
        return self._is_coordinator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_coordinator(request)

    def has_add_permission(self, request, *args):
        return self._is_coordinator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_coordinator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_coordinator(request)


class CoordinatorAdmin(CoordinatorPermissions, admin.ModelAdmin):
    pass
