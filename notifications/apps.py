from django.apps import AppConfig

# The attribute of the signed-in person that holds their unread count (notification_tags).
UNREAD_ATTRIBUTE = "unread_notifications"


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications et envois"

    def ready(self):
        from accounts.backends import read_with_the_person
        from notifications import schedule
        from notifications.selectors import unread_count_of_person

        schedule.register()
        # The navigation of every signed-in page shows it: read with the person, no query more.
        read_with_the_person(UNREAD_ATTRIBUTE, unread_count_of_person)
