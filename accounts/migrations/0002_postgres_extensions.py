from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """French full-text search (later issues) needs unaccent and pg_trgm."""

    dependencies = [("accounts", "0001_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]
