"""A project's history moves to the portal's one event log (core.Event), then ProjectEvent goes."""

from django.db import migrations


def _project_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="submissions", model="project"
    )
    return content_type


def copy_to_event_log(apps, schema_editor):
    ProjectEvent = apps.get_model("submissions", "ProjectEvent")
    Event = apps.get_model("core", "Event")
    content_type = _project_type(apps)
    Event.objects.bulk_create(
        Event(
            content_type=content_type,
            object_id=old.project_id,
            workflow="project",
            action=old.transition,
            from_state=old.from_state,
            to_state=old.to_state,
            actor_id=old.actor_id,
            reason=old.comment,
            created_at=old.created_at,
        )
        for old in ProjectEvent.objects.order_by("created_at", "pk").iterator()
    )


def copy_back(apps, schema_editor):
    ProjectEvent = apps.get_model("submissions", "ProjectEvent")
    Event = apps.get_model("core", "Event")
    events = Event.objects.filter(workflow="project", content_type=_project_type(apps))
    for event in events.order_by("created_at", "pk").iterator():
        copy = ProjectEvent.objects.create(
            project_id=event.object_id,
            transition=event.action,
            from_state=event.from_state,
            to_state=event.to_state,
            actor_id=event.actor_id,
            comment=event.reason,
        )
        # created_at is auto_now_add: set the original time afterwards.
        ProjectEvent.objects.filter(pk=copy.pk).update(created_at=event.created_at)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_event_log"),
        ("submissions", "0006_constraint_messages_in_french"),
    ]

    operations = [
        migrations.RunPython(copy_to_event_log, copy_back),
        migrations.DeleteModel(name="ProjectEvent"),
    ]
