"""Every URL name of the portal, asked by every kind of person.

The table says what each one must answer. A URL name missing from the table
fails ``test_every_url_name_is_in_the_matrix``: a new page needs its row.
"""

from dataclasses import dataclass, field

import html5lib
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Association, CityContract, Commune, Invitation, Qpv, User
from tests.factories import AssociationFactory, InvitationFactory, UserFactory, member_of

ROLES = [
    "anonymous",
    "member_a",
    "member_b",
    "officer_t1",
    "officer_t2",
    "juror",
    "coordinator",
]

LOGIN = 302  # anonymous: sent to the sign-in page


def everyone(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code, **overrides):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], code), **overrides}


def only(codes: dict, default=404):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], default), **codes}


@dataclass
class Row:
    expected: dict
    kwargs: object = None  # a function of the world, returning URL kwargs
    method: str = "get"
    data: dict = field(default_factory=dict)


def association_a(world):
    return {"pk": world["association_a"].pk}


MATRIX = {
    "home": Row(everyone(200)),
    "territory:contracts": Row(everyone(200)),
    "pages:accessibility": Row(everyone(200)),
    "pages:legal": Row(everyone(200)),
    "pages:privacy": Row(everyone(200)),
    "pages:sitemap": Row(everyone(200)),
    "healthz": Row(everyone(200)),
    "robots_txt": Row(everyone(200)),
    "dashboard": Row(signed_in(200)),
    # Signed-in people are sent on to their space.
    "accounts:login": Row({**everyone(302), "anonymous": 200}),
    "accounts:logout": Row(everyone(302), method="post"),
    "accounts:signup": Row({**everyone(302), "anonymous": 200}),
    "accounts:signup_done": Row(everyone(200)),
    "accounts:confirm_email": Row(everyone(400), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    "accounts:resend_confirmation": Row(everyone(200)),
    "accounts:password_reset": Row(everyone(200)),
    "accounts:password_reset_done": Row(everyone(200)),
    "accounts:password_reset_confirm": Row(
        everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    "accounts:password_reset_complete": Row(everyone(200)),
    "accounts:password_change": Row(signed_in(200)),
    "accounts:profile": Row(signed_in(200)),
    # The link was mailed to one address: another account is told so.
    "accounts:invitation_accept": Row(
        {**everyone(403), "anonymous": 200}, kwargs=lambda w: {"token": w["invitation"].token}
    ),
    "accounts:association_create": Row(signed_in(200)),
    "accounts:association_detail": Row(
        only({"member_a": 200, "officer_t1": 200, "coordinator": 200}), kwargs=association_a
    ),
    "accounts:association_update": Row(
        only({"member_a": 200, "coordinator": 200}), kwargs=association_a
    ),
    "accounts:association_invite": Row(
        only({"member_a": 302, "coordinator": 302}),
        kwargs=association_a,
        method="post",
        data={"email": "nouvelle@exemple.test"},
    ),
    "accounts:citycontract_contacts": Row(only({"coordinator": 200})),
    "accounts:citycontract_contact_update": Row(
        only({"coordinator": 200}), kwargs=lambda w: {"slug": "orly"}
    ),
}

# The technical administration: coordinators only; everyone else is sent to
# the portal's sign-in page.
ADMIN_DEFAULT = {**everyone(302), "coordinator": 200}
ADMIN_OVERRIDES = {
    "admin:login": everyone(302),
    "admin:logout": {**everyone(302), "coordinator": 405},
    "admin:view_on_site": {**everyone(302), "coordinator": 302},
    # Without its query parameters the autocomplete refuses to answer.
    "admin:autocomplete": {**everyone(302), "coordinator": 403},
}


def admin_kwargs(name, world):
    if name == "admin:app_list":
        return {"app_label": "accounts"}
    if name == "admin:view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Association).pk,
            "object_id": world["association_a"].pk,
        }
    if name == "admin:auth_user_password_change":
        return {"id": world["users"]["member_a"].pk}
    if name.endswith(("_change", "_delete", "_history")) and name != "admin:password_change":
        model_name = name.split(":")[1].rsplit("_", 1)[0].split("_", 1)[1]
        objects = {
            "association": lambda: world["association_a"],
            "user": lambda: world["users"]["member_a"],
            "citycontract": lambda: CityContract.objects.get(slug="orly"),
            "commune": lambda: Commune.objects.first(),
            "qpv": lambda: Qpv.objects.first(),
            "invitation": lambda: world["invitation"],
            "accessattempt": lambda: world["access_attempt"],
        }
        return {"object_id": objects[model_name]().pk}
    return {}


def url_names(patterns=None, namespace=None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def expected_for(name):
    if name in MATRIX:
        return MATRIX[name].expected
    if name.startswith("admin:"):
        return ADMIN_OVERRIDES.get(name, ADMIN_DEFAULT)
    raise KeyError(name)


@pytest.fixture
def world(db):
    from axes.models import AccessAttempt

    association_a = AssociationFactory(commune=Commune.objects.get(name="Ivry-sur-Seine"))
    association_b = AssociationFactory(commune=Commune.objects.get(name="Athis-Mons"))
    users = {
        "anonymous": None,
        "member_a": member_of(association_a),
        "member_b": member_of(association_b),
        "officer_t1": UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont")),
        "officer_t2": UserFactory(officer_contract=CityContract.objects.get(slug="orly")),
        "juror": UserFactory(juror=True),
        "coordinator": UserFactory(coordinator=True),
    }
    return {
        "association_a": association_a,
        "association_b": association_b,
        "users": users,
        "invitation": InvitationFactory(association=association_a, email="invitee@exemple.test"),
        "access_attempt": AccessAttempt.objects.create(
            username="x@exemple.test", ip_address="127.0.0.1", failures_since_start=1
        ),
    }


def test_every_url_name_is_in_the_matrix():
    missing = []
    for name in url_names():
        try:
            expected_for(name)
        except KeyError:
            missing.append(name)
    assert missing == []


def test_matrix_has_no_stale_row():
    assert set(MATRIX) - set(url_names()) == set()


def _check_valid_html(response):
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(response.content)


@pytest.mark.ignore_template_errors  # Django's own admin templates probe optional variables.
@pytest.mark.parametrize("role", ROLES)
def test_admin_answers_match_the_matrix(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    answers = {}
    for name in url_names():
        if not name.startswith("admin:") or name in MATRIX:
            continue
        response = client.get(reverse(name, kwargs=admin_kwargs(name, world)))
        answers[name] = response.status_code
    expected = {name: expected_for(name)[role] for name in answers}
    assert answers == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_portal_answers_match_the_matrix(client, world, role, name):
    row = MATRIX[name]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else {})

    response = getattr(client, row.method)(url, row.data)

    assert response.status_code == row.expected[role]
    if role == "anonymous" and row.expected[role] == LOGIN and name != "accounts:logout":
        assert response.url.startswith("/compte/connexion/?next=")
    _check_valid_html(response)


def test_a_user_model_without_roles_sees_no_private_object(client, world):
    """A signed-in person without any role gets 404 on every object page."""
    client.force_login(UserFactory())
    for name in ["accounts:association_detail", "accounts:association_update"]:
        url = reverse(name, kwargs=association_a(world))
        assert client.get(url).status_code == 404
    assert Invitation.objects.count() == 1
    assert User.objects.filter(is_coordinator=True).count() == 1
