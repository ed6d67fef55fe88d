from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared toolbox: mail, PDF, ICS, exports, forms, storage, rate limits.

    It imports no other app of the portal; every stage app may import it.
    """

    name = "core"
    verbose_name = "Outils communs"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import converters, files, mail, search

        converters.register()
        files.register_jobs()
        mail.register_jobs()
        search.register()
        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(using="default", **kwargs):
    """Create the database cache's table with the migrations, wherever they run (idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
