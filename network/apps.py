from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau et rencontre annuelle"

    def ready(self):
        from network import schedule

        schedule.register()
