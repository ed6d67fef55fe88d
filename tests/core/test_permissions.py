"""The permission layer: a view declares a rule, gets its object from a selector, refuses with 404."""

from dataclasses import dataclass

import pytest
import rules
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views.generic import DetailView, View

from core.permissions import (
    ObjectPermissionRequiredMixin,
    PermissionRequiredMixin,
    allowed,
    not_found,
    object_permission,
    or_404,
    permission,
)


@dataclass
class Person:
    name: str
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False


@dataclass
class Thing:
    pk: int
    owner: str


THINGS = {1: Thing(1, "alice"), 2: Thing(2, "bob")}
ALICE, BOB = Person("alice"), Person("bob")


@pytest.fixture(autouse=True)
def test_rules():
    """Two rules of a pretend app, gone after each test."""
    rules.add_perm("tests.see_page", rules.predicate(lambda user: user.name == "alice"))
    rules.add_perm(
        "tests.change_thing", rules.predicate(lambda user, thing: thing.owner == user.name)
    )
    yield
    rules.remove_perm("tests.see_page")
    rules.remove_perm("tests.change_thing")


def request_of(person):
    request = RequestFactory().get("/")
    request.user = person
    return request


def visible_thing(request, pk):
    """A pretend selector: everybody sees thing 1 and 2; there is no thing 3."""
    return THINGS.get(pk)


@permission("tests.see_page")
def page(request):
    return HttpResponse("page")


@object_permission("tests.change_thing", get=visible_thing)
def thing_view(request, thing, section="all"):
    return HttpResponse(f"{thing.owner}/{thing.pk}/{section}")


def test_permission_lets_the_holder_in():
    assert page(request_of(ALICE)).content == b"page"


def test_permission_answers_404_to_the_others():
    with pytest.raises(Http404):
        page(request_of(BOB))


def test_object_permission_passes_the_object_and_the_other_url_arguments():
    response = thing_view(request_of(ALICE), pk=1, section="budget")

    assert response.content == b"alice/1/budget"


def test_object_permission_answers_404_when_the_selector_finds_nothing():
    with pytest.raises(Http404):
        thing_view(request_of(ALICE), pk=3)


def test_object_permission_answers_404_not_403_when_the_rule_refuses():
    with pytest.raises(Http404):
        thing_view(request_of(ALICE), pk=2)


def test_object_permission_lets_a_selector_raising_404_through():
    @object_permission("tests.change_thing", get=lambda request, pk: or_404(THINGS.get(pk)))
    def view(request, thing):
        return HttpResponse("seen")

    with pytest.raises(Http404):
        view(request_of(ALICE), pk=3)


def test_decorated_views_say_their_permission():
    assert (page.permission_required, thing_view.permission_required) == (
        "tests.see_page",
        "tests.change_thing",
    )


def test_allowed_reads_the_rules_even_for_a_superuser():
    boss = Person("carol", is_superuser=True)

    assert (allowed(ALICE, "tests.see_page"), allowed(boss, "tests.see_page")) == (True, False)


def test_allowed_refuses_a_permission_no_rules_module_declares():
    with pytest.raises(KeyError, match=r"tests\.typo"):
        allowed(ALICE, "tests.typo")


def test_or_404_returns_what_it_is_given_and_refuses_none():
    assert or_404(0) == 0
    with pytest.raises(Http404):
        or_404(None)


def test_not_found_answers_404():
    with pytest.raises(Http404):
        not_found()


class Page(PermissionRequiredMixin, View):
    permission_required = "tests.see_page"

    def get(self, request):
        return HttpResponse("page")


class ThingLookup:
    """What DetailView.get_object does: read the selector, 404 when absent."""

    def get_object(self, queryset=None):
        return or_404(THINGS.get(self.kwargs["pk"]))


class ThingDetailView(ObjectPermissionRequiredMixin, ThingLookup, DetailView):
    permission_required = "tests.change_thing"

    def render_to_response(self, context):
        return HttpResponse(self.object.owner)


def test_permission_mixin_lets_the_holder_in_and_answers_404_to_the_others():
    assert Page.as_view()(request_of(ALICE)).content == b"page"
    with pytest.raises(Http404):
        Page.as_view()(request_of(BOB))


def test_object_permission_mixin_shows_the_object_to_the_holder():
    assert ThingDetailView.as_view()(request_of(BOB), pk=2).content == b"bob"


@pytest.mark.parametrize("pk", [1, 3])
def test_object_permission_mixin_answers_404_when_refused_or_absent(pk):
    with pytest.raises(Http404):
        ThingDetailView.as_view()(request_of(BOB), pk=pk)
