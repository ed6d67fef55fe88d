"""Who may read which notification, choose their deliveries, and run the outbox."""

import rules

from accounts.rules import is_coordinator, signed_in


@rules.predicate
def is_signed_in(user):
    return signed_in(user)


@rules.predicate
def is_recipient(user, notification):
    return notification is not None and signed_in(user) and notification.user_id == user.pk


# Every signed-in person has their notifications and chooses how to receive them.
rules.add_perm("notifications.view_notifications", is_signed_in)
rules.add_perm("notifications.open_notification", is_recipient)
# The outbox of mass mailings: the coordination.
rules.add_perm("notifications.manage_mailings", is_coordinator)
