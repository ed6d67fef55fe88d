"""The sign-in lockout (django-axes), counted on the address as the sign-in reads it.

Two counts, both over the cool-off window (15 minutes):
- per address, whatever its spelling ("Asso@…", "ASSO@…", " asso@… "): the
  6th wrong password is refused (AXES_FAILURE_LIMIT), from any connection;
- per connection (IP address), whatever the addresses tried: past
  AXES_IP_FAILURE_LIMIT failures every sign-in from it is refused (password spraying).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def normalize_login(value: str | None) -> str | None:
    """Return the address as the sign-in looks it up: no surrounding spaces, lower case."""
    if value is None:
        return None
    return value.strip().lower()


def login_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the address the failures are counted on."""
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(field)
    return normalize_login(value)


class LoginLockoutHandler(AxesDatabaseHandler):
    """Lock an address after AXES_FAILURE_LIMIT failures, a connection after more."""

    def _failures(self, request, **lookup) -> int:
        attempts = AccessAttempt.objects.filter(**lookup)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        by_address = self._failures(request, username=username) if username else 0
        by_ip = self._failures(request, ip_address=request.axes_ip_address)
        if by_ip >= settings.AXES_IP_FAILURE_LIMIT:
            return max(by_address, get_failure_limit(request, credentials))
        return by_address

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        # A success clears that address only: signing in to one's own account must
        # not wipe the failures a connection piled up on other addresses.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
