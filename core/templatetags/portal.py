"""Template filters and tags every page may use (loaded as a builtin, no ``{% load %}``)."""

import datetime
import hashlib
import re
import zlib

from django import template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import cache_versions
from core.links import absolute_url

register = template.Library()

# zlib's level for the cached fragments: fast, and HTML shrinks about eightfold.
FRAGMENT_LEVEL = 6


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


# Where an {% uncached %} part goes in a stored fragment. A NUL never comes from the database
# (PostgreSQL refuses it in text) nor from a form (Django's fields refuse it).
HOLE = "\x00uncached:{}\x00"
HOLES = re.compile("\x00uncached:(\\d+)\x00")


@register.tag
def cached_fragment(parser, token):
    """A part of a signed-in page rendered once for its viewer, while its version holds.

        {% cached_fragment "inbox" page_obj.number request.GET.urlencode %}
          …the rows…
          {% uncached %}…a form with a once-only key…{% enduncached %}
        {% endcached_fragment %}

    The first argument names a ``core.cache_versions`` version (its watched models
    make the fragment stale); the others are what else the fragment depends on.
    The viewer is always part of the key: the person, their browser's CSRF secret
    (a form inside carries a token valid for that browser only) and the day (a
    "dans 3 jours" is right until midnight). Without a signed-in person or a CSRF
    secret, the fragment is rendered each time.

    An ``{% uncached %}`` part (written in the same template) is rendered on every
    request, in the context of the
    ``cached_fragment`` tag itself (not of the tags around it inside the fragment,
    whether the fragment comes from the cache or not): what must be new each time,
    like a form's once-only key, or what another version watches.

    What only the fragment shows is read when it is rendered, not by the view: the
    view passes one object whose parts are ``functools.cached_property`` (the
    space's ``SpaceBlocks``, the inbox's ``InboxPage``, ``ProjectPage``, the jury
    pages' classes in ``jury/views/_pages.py``) and the template reads ``page.part``.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} attend le nom d'une version.")
    # The parser takes its tokens from the end of its list: the fragment's text is the tail
    # it consumed. Its digest keys the fragment: once the template changes (a deployment),
    # a fragment stored by the former one, with other uncached parts, is not used.
    before = list(parser.tokens)
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    text = "\x1f".join(f"{t.token_type}{t.contents}" for t in before[len(parser.tokens) :])
    holes = nodelist.get_nodes_by_type(UncachedNode)
    for index, hole in enumerate(holes):
        hole.index = index
    place = ":".join(
        [
            parser.origin.name if parser.origin else "",
            str(token.lineno),
            hashlib.sha256(text.encode()).hexdigest(),
        ]
    )
    return CachedFragmentNode(
        nodelist, [parser.compile_filter(bit) for bit in bits[1:]], place, holes
    )


@register.tag
def uncached(parser, token):
    """A part of a ``{% cached_fragment %}`` rendered on every request (see there)."""
    nodelist = parser.parse(("enduncached",))
    parser.delete_first_token()
    return UncachedNode(nodelist)


class UncachedNode(template.Node):
    # Set by the enclosing cached_fragment; None outside one (rendered in place).
    index: int | None = None

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        if self.index is None:
            return self.nodelist.render(context)
        return HOLE.format(self.index)


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, values, place: str, holes: list[UncachedNode]):
        self.nodelist, self.values, self.place, self.holes = nodelist, values, place, holes

    def render(self, context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        secret = request.META.get("CSRF_COOKIE") if request is not None else None
        if user is None or not user.is_authenticated or not secret:
            return self._fill(str(self.nodelist.render(context)), context)
        name, *parts = (value.resolve(context) for value in self.values)
        key = hashlib.sha256(
            "\x1f".join(
                map(
                    str,
                    # The address prefix too: the links inside carry it.
                    (
                        self.place,
                        user.pk,
                        secret,
                        get_script_prefix(),
                        timezone.localdate(),
                        *parts,
                    ),
                )
            ).encode()
        ).hexdigest()
        # Stored compressed: a page's worth of figures or rows reads in a third of the time
        # from the database cache (60 KiB of HTML: 0.77 -> 0.47 ms), for 10 µs to inflate.
        packed = cache_versions.cached(
            name,
            ("fragment-z", key),
            lambda: zlib.compress(str(self.nodelist.render(context)).encode(), FRAGMENT_LEVEL),
        )
        return self._fill(zlib.decompress(packed).decode(), context)

    def _fill(self, html: str, context) -> str:
        """The fragment with its uncached parts rendered now."""
        pieces = HOLES.split(html)
        for position in range(1, len(pieces), 2):
            pieces[position] = self.holes[int(pieces[position])].nodelist.render(context)
        # Safe: the template rendered it, escaping what it shows.
        return mark_safe("".join(pieces))
