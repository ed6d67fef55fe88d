from django.db import migrations


def load(apps, schema_editor):
    from accounts.territory import load_territory

    load_territory(apps)


class Migration(migrations.Migration):
    """Load the 24 communes, 8 contrats de ville and 36 QPVs from the sourced CSVs."""

    dependencies = [("accounts", "0002_postgres_extensions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
