from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from accounts.models import Association, CityContract, Commune, Invitation, Membership, Qpv, User
from core.admin_site import (
    CoordinatorAdmin,
    CoordinatorPermissions,
    PortalAdminPasswordChangeForm,
    PortalUserChangeForm,
)
from core.audit import record_membership, record_role_change, saved_roles_of


class MembershipInline(CoordinatorPermissions, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(CoordinatorAdmin, DjangoUserAdmin):
    form = PortalUserChangeForm
    change_password_form = PortalAdminPasswordChangeForm
    ordering = ["last_name", "first_name"]
    list_display = [
        "email",
        "last_name",
        "first_name",
        "is_coordinator",
        "officer_contract",
        "is_juror",
        "is_active",
        "email_confirmed_at",
    ]
    list_filter = ["is_coordinator", "is_juror", "officer_contract", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Rôles",
            {"fields": ["is_coordinator", "officer_contract", "is_juror"]},
        ),
        (
            "Compte",
            {
                "fields": [
                    "is_active",
                    "email_confirmed_at",
                    "is_staff",
                    "is_superuser",
                    "date_joined",
                    "last_login",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = []

    # Only a superuser may give or take the coordination role, or the technical
    # rights; only he may change (password, address, roles) or delete the
    # account of a superuser or of another coordinator. Otherwise a coordinator
    # could take over an account with more rights than his own.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_coordinator", "is_superuser", "is_staff"]
        return fields

    def _protected(self, request, obj) -> bool:
        return bool(
            obj is not None
            and not request.user.is_superuser
            and obj.pk != request.user.pk
            and (obj.is_superuser or obj.is_coordinator)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._protected(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._protected(request, obj)

    def save_model(self, request, obj, form, change):
        # The same record as the portal's services: the trail holds every change of rights.
        before = saved_roles_of(obj)
        super().save_model(request, obj, form, change)
        record_role_change(
            actor=request.user, user=obj, before=before, reason="Administration des données."
        )


@admin.register(Association)
class AssociationAdmin(CoordinatorAdmin):
    list_display = ["name", "kind", "commune", "rna", "siret", "created_at"]
    list_filter = ["kind", "commune__city_contract", "commune"]
    search_fields = ["name", "rna", "siret", "contact_email", "members__email"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["qpvs"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        # A row whose person was replaced: the former one left, the new one joined.
        replaced = [
            (row.instance, row.initial.get("user"))
            for row in formset.initial_forms
            if "user" in row.changed_data and row not in formset.deleted_forms
        ]
        left = [(m.user, m.association) for m in formset.deleted_objects]
        joined = [(m.user, m.association) for m in formset.new_objects]
        for membership, former in replaced:
            if former is not None:
                left.append((User.objects.get(pk=former), membership.association))
            joined.append((membership.user, membership.association))
        for people, is_joined in ((left, False), (joined, True)):
            for user, association in people:
                record_membership(
                    actor=request.user,
                    user=user,
                    group=association,
                    joined=is_joined,
                    reason="Administration des données.",
                )


@admin.register(Invitation)
class InvitationAdmin(CoordinatorAdmin):
    list_display = ["email", "association", "invited_by", "created_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "association__name"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]
    autocomplete_fields = ["association", "invited_by"]


@admin.register(CityContract)
class CityContractAdmin(CoordinatorAdmin):
    list_display = ["short_name", "code", "departement", "officer_name", "officer_email"]
    list_filter = ["departement"]
    search_fields = ["name", "short_name", "code", "officer_name"]
    readonly_fields = ["code", "name", "slug", "period", "source"]


@admin.register(Commune)
class CommuneAdmin(CoordinatorAdmin):
    list_display = ["name", "insee", "departement", "postcode", "city_contract"]
    list_filter = ["departement", "city_contract"]
    search_fields = ["name", "insee", "postcode"]


@admin.register(Qpv)
class QpvAdmin(CoordinatorAdmin):
    list_display = ["name", "code", "list_year"]
    list_filter = ["list_year", "communes__city_contract"]
    search_fields = ["name", "code", "communes__name"]
    filter_horizontal = ["communes"]


# Groups are unused: roles live on the person (officer contract, juror, coordinator flags).
admin.site.unregister(Group)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(CoordinatorPermissions, AxesAccessAttemptAdmin):
    """Locked sign-ins: a coordinator deletes the row to unlock someone at once."""
