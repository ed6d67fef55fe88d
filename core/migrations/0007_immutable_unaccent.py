from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# unaccent() is STABLE, so no index may hold it; with its dictionary named, the
# same work is IMMUTABLE (core/search.py). Schema-qualified, so a search_path
# does not change what an index holds.
CREATE = """
CREATE OR REPLACE FUNCTION public.immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);
"""
DROP = "DROP FUNCTION IF EXISTS public.immutable_unaccent(text);"


class Migration(migrations.Migration):
    dependencies = [("core", "0006_outgoing_mail")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(CREATE, DROP),
    ]
