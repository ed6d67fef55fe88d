from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared toolbox: mail, PDF, ICS, exports, forms, storage, rate limits.

    It imports no other app of the portal; every stage app may import it.
    """

    name = "core"
    verbose_name = "Outils communs"

    def ready(self):
        from core import converters

        converters.register()
