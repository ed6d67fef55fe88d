"""Sign-in by email address, and the signed-in person read once per request."""

import functools
from collections.abc import Callable

from django.contrib.auth import check_password_with_timing_attack_mitigation
from django.contrib.auth.backends import ModelBackend
from django.db.models import Expression

from accounts.lockout import normalize_login
from accounts.models import User
from core.compiled import CompiledQuery

# What every signed-in page shows about the person besides the person, read in the query that
# loads them for the request (one round trip instead of two): later apps register it from
# their ready(), as notifications does for its unread count in the navigation.
_READ_WITH_THE_PERSON: dict[str, Callable[[], Expression]] = {}


def read_with_the_person(name: str, expression: Callable[[], Expression]) -> None:
    """Annotate the signed-in person of each request with ``expression`` as ``name``."""
    _READ_WITH_THE_PERSON[name] = expression
    _person_query.cache_clear()


@functools.cache
def _person_query() -> CompiledQuery:
    """The query of the signed-in person, compiled once: it runs on every signed-in request."""
    annotations = {name: build() for name, build in _READ_WITH_THE_PERSON.items()}
    return CompiledQuery(lambda pk: User._default_manager.annotate(**annotations).filter(pk=pk))


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

    def get_user(self, user_id):
        """The person of the session, with what was registered to be read with them."""
        found = _person_query().rows(pk=user_id)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
