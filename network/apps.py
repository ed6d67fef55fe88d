from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau et rencontre annuelle"

    def ready(self):
        from django.db.models.signals import post_save

        from laureates.models import Laureate
        from network.signals import laureate_saved

        post_save.connect(laureate_saved, sender=Laureate, dispatch_uid="network:laureate_member")

        from network import schedule

        schedule.register()
