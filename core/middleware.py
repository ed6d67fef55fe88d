from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control

# What is worth compressing; images, PDFs and archives are compressed already.
COMPRESSED_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/ld+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


class PrivatePagesMiddleware:
    """Keep every answer to a signed-in person out of shared and browser caches.

    Pages of the space, score exports and minutes name people: on a shared
    computer or behind a proxy they must not be stored. Directives a view set
    itself (``never_cache``) stay; ``public`` gives way to ``private``.
    The anonymous side is ``core.public_cache``: it stores and marks public
    only answers to anonymous visitors, and leaves a signed-in person's
    request to this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class CompressTextMiddleware(GZipMiddleware):
    """Gzip the pages (HTML, CSV, JSON, feeds) for a browser that accepts it, nothing else.

    BREACH (guessing a secret of a compressed page from its size, by making the
    victim's browser ask for it many times with a guess in the address) is answered
    where each secret is:
    - the CSRF token is masked anew in every answer (Django), so it never repeats;
    - every compressed answer gets 0–100 random bytes (Django's GZipMiddleware since
      4.2, "Heal the Breach"), so sizes measured from outside are noise;
    - the pages of a signed-in person need the session cookie, sent with
      ``SameSite=Lax`` (SESSION_COOKIE_SAMESITE): another site's page cannot make the
      browser fetch them with it, so it cannot measure them at all;
    - the registration and check-in codes only appear at addresses that contain a
      secret token, which an attacker does not know.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
