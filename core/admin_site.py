from collections.abc import Mapping
from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.db import models
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


# Django's administration writes a few pages that are not valid HTML; these
# widgets and the password form below correct them (tests/test_html_validity.py).


class ValidAutocompleteSelect(AutocompleteSelect):
    """An autocomplete without ``required``: HTML wants a required select to
    start with an empty option, which Django's autocomplete never has. The form
    still refuses an empty value."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("required", None)
        return context


class ValidSplitDateTime(AdminSplitDateTime):
    """Date and time inputs that describe themselves by no missing element.

    Django points them at a time-zone warning that its script adds only when
    the browser's time zone differs from the server's.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for widget in context["widget"]["subwidgets"]:
            widget["attrs"].pop("aria-describedby", None)
        return context


class ValidPasswordHashWidget(ReadOnlyPasswordHashWidget):
    """The password summary, a div: not "disabled", and no missing help text id."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for attribute in ("disabled", "aria-describedby"):
            context["widget"]["attrs"].pop(attribute, None)
        return context


class PortalUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = ValidPasswordHashWidget()


class PortalAdminPasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, whose help text put a list inside a paragraph, in English."""

    # Django's lazy strings concatenate; its stubs do not say so.
    usable_password_help_text = SetUnusablePasswordMixin.usable_password_help_text + (
        ' <span id="id_unusable_warning" class="messagelist warning">'
        "Sans authentification par mot de passe, le mot de passe actuel est perdu.</span>"
    )


# Type checkers read the mixin as the model admin it is mixed into.
if TYPE_CHECKING:
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


class CoordinatorPermissions(_AdminBase):
    """Give coordinators every right on a model admin or inline (with valid widgets)."""

    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.DateTimeField: {"widget": ValidSplitDateTime}
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
