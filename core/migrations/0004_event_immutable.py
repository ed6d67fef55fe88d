import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The audit trail is written once: PostgreSQL itself refuses to change or delete
# a row, whatever the code (the portal, the admin, a shell). TRUNCATE, which the
# test suite's flush uses, is a statement-level operation: no row trigger fires.
FORBID = """
CREATE FUNCTION core_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal des événements ne se modifie pas (% refusé).', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_immutable
    BEFORE UPDATE OR DELETE ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_immutable();
"""
ALLOW = """
DROP TRIGGER IF EXISTS core_event_immutable ON core_event;
DROP FUNCTION IF EXISTS core_event_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_background_files"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Deleting a person the trail names fails instead of blanking the trail.
        migrations.AlterField(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunSQL(FORBID, reverse_sql=ALLOW),
    ]
