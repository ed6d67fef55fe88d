from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from core.admin_site import CoordinatorPermissions
from core.models import Event

# Background task results are a technical log: the pages that queue work show
# its state to the people concerned, so the admin does not list them.
admin.site.unregister(DBTaskResult)


@admin.register(Event)
class EventAdmin(CoordinatorPermissions, admin.ModelAdmin):
    """The audit trail, read only: nobody adds, changes or deletes an entry.

    The database refuses it anyway (a trigger); the admin does not offer it.
    The coordination's own page (coordination:audit) reads it in French.
    """

    list_display = ["created_at", "actor", "workflow", "action", "content_type", "object_id"]
    list_filter = ["workflow", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["actor__email", "actor__last_name", "reason"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    actions = None

    def get_urls(self):
        # No page to add or delete an entry exists at all, for anybody.
        return [
            url for url in super().get_urls() if not (url.name or "").endswith(("_add", "_delete"))
        ]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
