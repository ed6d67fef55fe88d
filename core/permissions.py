"""The one way a view says what it needs: a permission of the apps' ``rules.py``.

A view declares its permission; it never checks a role by hand. The object
comes from a selector taking the person who asks, so what they may not see
does not exist for them; a refused permission answers 404 as well, never 403,
so that a page does not tell who may do what on which object ("to avoid
leaking data", as pretalx says).

    @permission("submissions.view_inbox")
    def inbox(request): ...

    @object_permission("submissions.coach_project", get=project_of)
    def checklist_update(request, project): ...

``get`` receives the request and the URL arguments it names (``pk``…); the
view receives the object, then the URL arguments ``get`` did not take.
Class-based views use ``PermissionRequiredMixin`` (no object) or
``ObjectPermissionRequiredMixin`` (the object of ``get_object``, itself read
through ``get_queryset``, a selector).
"""

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

import rules
from django.http import Http404, HttpRequest
from django.views import View
from django.views.generic.detail import SingleObjectMixin


def or_404[T](value: T | None) -> T:
    """Return ``value``, or answer 404 when there is nothing (``None``)."""
    if value is None:
        raise Http404
    return value


def not_found() -> NoReturn:
    """Answer 404: the URL names nothing (an unknown action, format…)."""
    raise Http404


def allowed(user, perm: str, obj: Any = None) -> bool:
    """Say whether ``user`` holds ``perm`` (on ``obj``), as the apps' ``rules.py`` declare it.

    Read from the rules alone: ``User.has_perm`` would let a superuser do
    everything and, without object, read the database permission tables.
    Views, templates' flags and services all ask here, so the rule a view
    checks is the rule the service enforces.
    """
    if not rules.perm_exists(perm):
        raise KeyError(f"Permission inconnue : {perm}")
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj: Any = None) -> None:
    """Answer 404 unless ``user`` holds ``perm`` (on ``obj``)."""
    if not allowed(user, perm, obj):
        raise Http404


def permission(perm: str) -> Callable:
    """Decorate a view without object: who lacks ``perm`` gets a 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, perm)
            return view(request, *args, **kwargs)

        # Read by the tests that list which permission each view declares.
        wrapped.permission_required = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def object_permission(perm: str, *, get: Callable) -> Callable:
    """Decorate a view on one object: ``get`` reads it through a selector, ``perm`` is checked.

    ``get(request, **url_arguments)`` returns the object, or ``None`` (or
    raises Http404) when the person may not see it: 404. A person who sees it
    without holding ``perm`` on it gets a 404 too. The view is called with
    the object after the request.
    """
    taken = [name for name in inspect.signature(get).parameters if name != "request"]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            arguments = {name: kwargs.pop(name) for name in taken if name in kwargs}
            obj = or_404(get(request, **arguments))
            require(request.user, perm, obj)
            return view(request, obj, *args, **kwargs)

        # Read by the tests that list which permission each view declares.
        wrapped.permission_required = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


class PermissionRequiredMixin(View):
    """A class-based view without object: who lacks ``permission_required`` gets a 404."""

    permission_required: str

    def dispatch(self, request, *args, **kwargs):
        require(request.user, self.permission_required)
        return super().dispatch(request, *args, **kwargs)


class ObjectPermissionRequiredMixin(SingleObjectMixin):
    """A detail or update view: ``get_queryset`` is a selector; the object needs the permission."""

    permission_required: str
    request: HttpRequest

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        require(self.request.user, self.permission_required, obj)
        return obj
