"""Template filters every page may use (loaded as a builtin, no ``{% load %}``)."""

import datetime

from django import template
from django.utils import timezone

from core.links import absolute_url

register = template.Library()


@register.filter
def iso(value) -> str:
    """A date or a moment for ``<time datetime>``: ISO 8601, to the second.

    The ``c`` format of ``date`` keeps microseconds, which HTML refuses
    (three digits of a second at most).
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def absolute(location) -> str:
    """The full address of a path or of an object (core.links.absolute_url), for meta tags."""
    if not location:
        return ""
    return absolute_url(location)
