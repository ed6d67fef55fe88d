"""Every URL part that reaches a query is typed: a bad one answers 404, never 500.

The walk covers every pattern of the resolver, the technical administration
included. Each parameter in turn gets a value with a NUL byte (PostgreSQL
refuses it in text) and an over-long number (beyond a bigint), the other
parameters a plausible value.
"""

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.factories import UserFactory

BAD_VALUES = {"nul": "ab%00cd", "overlong": "9" * 25}

# A plausible value for the parameters not under test, by converter name.
PLAUSIBLE = {
    "id": "1",
    "int": "1",
    "slug": "x",
    "token": "abc",
    "reset_token": "a-b",
    "uuid": "00000000-0000-0000-0000-000000000000",
}

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _regex_groups(regex: str):
    """Yield (name, start, end) of each named group, nested parentheses included."""
    for match in re.finditer(r"\(\?P<(\w+)>", regex):
        depth, index = 1, match.end()
        while depth:
            if regex[index] == "\\":
                index += 1
            elif regex[index] == "(":
                depth += 1
            elif regex[index] == ")":
                depth -= 1
            index += 1
        yield match.group(1), match.start(), index


def _parts(pattern) -> list:
    """The pattern as text pieces and parameters ``(name, converter)``."""
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RoutePattern):
        pieces, last = [], 0
        for match in ROUTE_PARAMETER.finditer(text):
            pieces += [text[last : match.start()], (match["name"], match["converter"] or "str")]
            last = match.end()
        return [*pieces, text[last:]]
    assert isinstance(pattern.pattern, RegexPattern)
    text = text.removeprefix("^")
    pieces, last = [], 0
    for name, start, end in _regex_groups(text):
        pieces += [text[last:start], (name, "regex")]
        last = end
    tail = text[last:].removesuffix("$").removesuffix("\\Z")
    assert not re.search(r"[\\^$()\[\]*+?|]", "".join(p for p in pieces if isinstance(p, str)))
    return [*pieces, tail]


def all_patterns(patterns=None, prefix=()):
    """Yield each URL pattern of the resolver as its chain of parts."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        parts = (*prefix, *_parts(pattern))
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern.url_patterns, parts)
        elif isinstance(pattern, URLPattern):
            yield parts


def _cases():
    for parts in all_patterns():
        parameters = [part for part in parts if isinstance(part, tuple)]
        for name, _converter in parameters:
            for label, value in BAD_VALUES.items():
                url = "/" + "".join(
                    part
                    if isinstance(part, str)
                    else (value if part[0] == name else PLAUSIBLE.get(part[1], "1"))
                    for part in parts
                )
                yield pytest.param(url, id=f"{url}-{label}")


CASES = list(_cases())


def test_the_walk_finds_the_patterns_with_parameters():
    urls = {case.values[0] for case in CASES}
    assert "/compte/invitation/ab%00cd/" in urls
    assert f"/espace/projets/{'9' * 25}/" in urls
    assert f"/espace/jury/seances/1/projets/1/pieces/{'9' * 25}/" in urls
    assert any(url.startswith("/admin/accounts/user/") for url in urls)


def _refused(method, url, response, *, anonymous):
    """Whether the answer refuses the URL without an error of the portal."""
    code = response.status_code
    if code in (400, 404):
        return True
    if code == 405 and method == "get":
        return True  # a POST-only view: refused before any query
    if code == 302 and anonymous:
        return response.url.startswith(("/compte/connexion/", "/admin/login/"))
    if code == 302 and url.startswith("/admin/"):
        # Django's administration sends an unknown object back to a list with
        # a message ("… n'existe pas"), as it does for a deleted object.
        return response.url.startswith("/admin/")
    if code == 200 and url.startswith("/compte/mot-de-passe/nouveau/"):
        # Django's own answer to a reset link that matches no account.
        return response.context["validlink"] is False
    return False


@pytest.mark.ignore_template_errors  # Django's own admin templates probe optional variables.
def test_no_url_parameter_makes_a_500(client, db):
    client.raise_request_exception = False
    client.force_login(UserFactory(coordinator=True))
    coordinator_session = client.cookies[settings.SESSION_COOKIE_NAME].value
    wrong = []
    for case in CASES:
        url = case.values[0]
        client.cookies.clear()  # signed out, as client.logout() leaves it
        response = client.get(url)
        if not _refused("get", url, response, anonymous=True):
            wrong.append(f"anonymous GET {url}: {response.status_code}")
        # The coordinator's session, opened once: each request runs in a savepoint
        # rolled back after it, so none can end or change the session for the next.
        client.cookies[settings.SESSION_COOKIE_NAME] = coordinator_session
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            if not _refused(method, url, response, anonymous=False):
                wrong.append(f"coordinator {method.upper()} {url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
