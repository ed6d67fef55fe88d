"""Limit how often an action may happen, the same for every server process.

The database counts: each allowed action is a row that lives as long as the
limit's window (a sliding window), and a PostgreSQL advisory lock per key makes
"count, then record" atomic across processes. The limits themselves are the
``RATE_LIMITS`` setting: ``{name: (how many, per timedelta)}``.

    try:
        ratelimit.count(Limit("password_reset_address", email), Limit("password_reset_ip", ip))
    except ratelimit.LimitReached as reached:
        ...  # nothing was counted; reached.limit says which one, reached.retry_in how long

"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.timesince import timeuntil

from core.models import RateLimitHit


@dataclass(frozen=True)
class Limit:
    """One limit of the RATE_LIMITS setting, applied to one key (an address, an IP, an id)."""

    name: str
    key: object

    @property
    def digest(self) -> str:
        raw = f"{self.name}:{str(self.key).strip().lower()}"
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def rule(self) -> tuple[int, timedelta]:
        return settings.RATE_LIMITS[self.name]


class LimitReached(Exception):
    def __init__(self, limit: Limit, retry_in: timedelta):
        super().__init__(limit.name)
        self.limit = limit
        self.retry_in = retry_in

    @property
    def retry_text(self) -> str:
        """How long to wait, in words ("9 minutes", "1 heure")."""
        now = timezone.now()
        return timeuntil(now + max(self.retry_in, timedelta(minutes=1)), now, depth=1)


def count(*limits: Limit) -> None:
    """Count one action against every limit, or raise LimitReached and count nothing."""
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Sorted, so two requests never wait for each other's locks in a circle.
            for digest in sorted({limit.digest for limit in limits}):
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [digest])
        for limit in limits:
            allowed, _period = limit.rule
            RateLimitHit.objects.filter(name=limit.name, expires_at__lte=now).delete()
            hits = RateLimitHit.objects.filter(
                name=limit.name, key=limit.digest, expires_at__gt=now
            )
            if hits.count() >= allowed:
                first_free = hits.aggregate(at=Min("expires_at"))["at"]
                raise LimitReached(limit, first_free - now)
        RateLimitHit.objects.bulk_create(
            RateLimitHit(name=limit.name, key=limit.digest, expires_at=now + limit.rule[1])
            for limit in limits
        )


def client_ip(request) -> str:
    """The visitor's address, found as the sign-in lockout finds it (AXES_PROXY_COUNT)."""
    return get_client_ip_address(request) or "inconnue"
