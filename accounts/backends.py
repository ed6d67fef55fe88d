"""Sign-in by email address."""

from django.contrib.auth import check_password_with_timing_attack_mitigation
from django.contrib.auth.backends import ModelBackend

from accounts.lockout import normalize_login
from accounts.models import User


class UnconfirmedAccount(Exception):
    """The right password for an account whose address is not confirmed yet."""


class EmailBackend(ModelBackend):
    """Django's model backend, which also says when the password fits an unconfirmed account.

    It hashes the password exactly once whatever the case (unknown address,
    wrong password, unconfirmed account), so the time of the answer tells
    nobody whether an address has an account.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(normalize_login(username))
        except User.DoesNotExist:
            user = None
        if not check_password_with_timing_attack_mitigation(user, password):
            return None
        if self.user_can_authenticate(user):
            return user
        if user.email_confirmed_at is None:
            raise UnconfirmedAccount
        return None
