from django.utils.cache import patch_cache_control


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
