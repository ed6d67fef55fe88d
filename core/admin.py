from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# Background task results are a technical log: the pages that queue work show
# its state to the people concerned, so the admin does not list them.
admin.site.unregister(DBTaskResult)
