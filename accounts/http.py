"""The request of a signed-in person, as the pages behind the login receive it.

``LoginRequiredMiddleware`` sends whoever is not signed in to the login page
before any view runs (unless the view is marked ``login_not_required``), so
behind it ``request.user`` is a ``User``, never ``AnonymousUser``: this type
says so to mypy, as django-stubs recommends, instead of a cast at every call.
A function view annotates its ``request`` with it; a class-based view declares
``request: AuthenticatedHttpRequest`` in its body.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
