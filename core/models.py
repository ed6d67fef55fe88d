from django.db import models


class RateLimitHit(models.Model):
    """One counted action (a mail sent, an invitation…) until its window closes.

    See core.ratelimit. The key is a digest: no address or IP is kept in clear.
    """

    name = models.CharField(max_length=50)
    key = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["name", "key", "expires_at"], name="ratelimit_lookup")]

    def __str__(self):
        return f"{self.name} {self.key[:8]}… → {self.expires_at:%Y-%m-%d %H:%M}"
