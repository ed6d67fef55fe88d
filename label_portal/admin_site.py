from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator


class PortalAdminSite(admin.AdminSite):
    """The technical administration, open to coordinators."""

    site_header = "Label Actions Innovantes — administration"
    site_title = "Administration du label"
    index_title = "Données du portail"

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and (user.is_coordinator or user.is_superuser))

    def refused(self, request):
        """Tell a signed-in person without admin rights where to go instead."""
        return render(request, "403_admin.html", status=403)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        # Django would send a signed-in person without rights to the sign-in
        # page, which sends them back here: a loop. Say no, and why, at once.
        @wraps(checked)
        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                return self.refused(request)
            return checked(request, *args, **kwargs)

        return inner

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        # One sign-in page for the whole portal.
        if request.user.is_authenticated and not self.has_permission(request):
            return self.refused(request)
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
