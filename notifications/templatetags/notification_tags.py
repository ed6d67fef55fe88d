"""The unread count of the signed-in navigation: read with the person, only where it is shown."""

from django import template

from notifications.apps import UNREAD_ATTRIBUTE
from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many notifications the signed-in person has not opened (0 for a visitor, no query).

    The person of a session comes with their count (accounts.backends); one signed in
    during this request (the sign-in form's answer) is counted by one query.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Once per request, even when a page shows the count twice.
    if not hasattr(request, "_unread_notifications"):
        counted = getattr(user, UNREAD_ATTRIBUTE, None)
        request._unread_notifications = unread_count(user) if counted is None else counted
    return request._unread_notifications
