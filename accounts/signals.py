"""The sign-ins the audit trail keeps: those of the people who hold every right.

A coordinator (or a technical administrator) can read and change everything,
so their sign-ins are evidence the trail must hold. Association members,
chefs de projet and jurors sign in without an entry: their actions are in the
trail already, and logging every sign-in would keep personal data with no
purpose (GDPR minimisation). Failed attempts are django-axes' log
(AccessAttempt), not repeated here.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.audit import record_sign_in


@receiver(user_logged_in, dispatch_uid="accounts.record_coordinator_sign_in")
def record_coordinator_sign_in(sender, request, user, **kwargs):
    if user.is_coordinator or user.is_staff or user.is_superuser:
        record_sign_in(user=user)
