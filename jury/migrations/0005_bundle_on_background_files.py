# The jury's PDF dossier is now a kind of core.files.BackgroundFile (« jury-bundle »):
# the JuryBundle table goes. Its rows are not copied: each was a cache of the session's
# dossiers, rebuilt on request from the same snapshots (same content), and the reuse
# rule now lives in core.files (source_hash). Their PDFs are deleted from the private
# storage first, so nothing is left behind without a row.

from django.db import migrations


def delete_bundle_files(apps, schema_editor):
    JuryBundle = apps.get_model("jury", "JuryBundle")
    for bundle in JuryBundle.objects.exclude(pdf="").iterator():
        bundle.pdf.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_shared_background_files"),
        ("jury", "0004_constraint_messages_in_french"),
    ]

    operations = [
        migrations.RunPython(delete_bundle_files, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="JuryBundle"),
    ]
