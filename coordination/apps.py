from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = "Pilotage, exports et journal"

    def ready(self):
        from coordination import exports

        exports.register()
