"""Named cache versions: each bumped by the models it watches, the others untouched."""

from accounts.models import Commune
from coordination import stats
from core import cache_versions, public_cache
from tests.factories import AssociationFactory
from tests.submissions.factories import MessageFactory, ProjectFactory


def test_a_stored_value_is_used_until_its_version_is_bumped(db):
    computed = []

    def compute():
        computed.append(1)
        return {"projets": len(computed)}

    first = cache_versions.cached("essai", ("a", 1), compute)
    again = cache_versions.cached("essai", ("a", 1), compute)
    other_key = cache_versions.cached("essai", ("a", 2), compute)
    cache_versions.bump("essai")
    after_bump = cache_versions.cached("essai", ("a", 1), compute)

    assert (first, again, other_key, after_bump) == (
        {"projets": 1},
        {"projets": 1},
        {"projets": 2},
        {"projets": 3},
    )


def test_a_message_saved_makes_the_dashboard_stale_not_the_public_pages(db):
    project = ProjectFactory(association=AssociationFactory())
    dashboard, public = cache_versions.current(stats.VERSION), public_cache.public_version()

    MessageFactory(project=project)

    assert cache_versions.current(stats.VERSION) != dashboard
    assert public_cache.public_version() == public


def test_a_commune_saved_makes_the_public_pages_stale_not_the_dashboard(db):
    dashboard, public = cache_versions.current(stats.VERSION), public_cache.public_version()

    Commune.objects.get(name="Orly").save()

    assert public_cache.public_version() != public
    assert cache_versions.current(stats.VERSION) == dashboard


def test_a_project_deleted_or_its_quartiers_changed_make_the_dashboard_stale(db):
    project = ProjectFactory(association=AssociationFactory())
    before_link = cache_versions.current(stats.VERSION)
    project.qpvs.add(project.commune.qpvs.order_by("code").first())
    before_delete = cache_versions.current(stats.VERSION)

    project.delete()

    assert before_delete != before_link
    assert cache_versions.current(stats.VERSION) != before_delete


def test_a_sign_in_keeps_the_dashboard_and_the_jury_results_a_renamed_person_does_not(client, db):
    from tests.factories import UserFactory

    person = UserFactory()
    before = {name: cache_versions.current(name) for name in ("dashboard", "jury-results")}

    client.force_login(person)  # a sign-in: Django saves the person's last_login
    person.refresh_from_db()
    after_sign_in = {name: cache_versions.current(name) for name in before}
    person.first_name = "Renommée"
    person.save()

    assert person.last_login is not None
    assert after_sign_in == before
    assert all(cache_versions.current(name) != before[name] for name in before)


FRAGMENT = (
    "{% cached_fragment 'essai' part %}<p>{{ renders.next }} pour {{ part }}</p>"
    "{% endcached_fragment %}"
)


class Renders:
    """Counts how many times the fragment's body was rendered."""

    def __init__(self):
        self.count = 0

    def next(self):
        self.count += 1
        return self.count


def _render_fragment(user, *, secret="s" * 32, part="a", renders):
    from django.template import engines
    from django.test import RequestFactory

    request = RequestFactory().get("/espace/")
    request.user = user
    if secret:
        request.META["CSRF_COOKIE"] = secret
    template = engines["django"].from_string(FRAGMENT)
    return template.render({"part": part, "renders": renders}, request)


def test_a_cached_fragment_is_rendered_once_per_viewer_until_its_version_is_bumped(db):
    from tests.factories import UserFactory

    alice, bob, renders = UserFactory(), UserFactory(), Renders()

    shown = [
        _render_fragment(alice, renders=renders),
        _render_fragment(alice, renders=renders),
        _render_fragment(bob, renders=renders),
        _render_fragment(alice, part="b", renders=renders),
        # Another browser of the same person: its forms need that browser's CSRF token.
        _render_fragment(alice, secret="t" * 32, renders=renders),
    ]
    cache_versions.bump("essai")
    shown.append(_render_fragment(alice, renders=renders))

    assert shown == [
        "<p>1 pour a</p>",
        "<p>1 pour a</p>",
        "<p>2 pour a</p>",
        "<p>3 pour b</p>",
        "<p>4 pour a</p>",
        "<p>5 pour a</p>",
    ]


def test_a_fragment_without_a_csrf_secret_or_a_signed_in_person_is_never_stored(db):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    renders, alice = Renders(), UserFactory()

    shown = [
        _render_fragment(alice, secret="", renders=renders),
        _render_fragment(alice, secret="", renders=renders),
        _render_fragment(AnonymousUser(), renders=renders),
        _render_fragment(AnonymousUser(), renders=renders),
    ]

    assert [fragment[3] for fragment in shown] == ["1", "2", "3", "4"]


def test_a_cached_fragment_gives_back_its_accents_and_marks_unchanged(db):
    from tests.factories import UserFactory

    alice, renders = UserFactory(), Renders()
    part = "l'équipe « Été » & co — 20 €"

    first = _render_fragment(alice, part=part, renders=renders)
    again = _render_fragment(alice, part=part, renders=renders)

    assert first == again == "<p>1 pour l&#x27;équipe « Été » &amp; co — 20 €</p>"
    assert renders.count == 1


FRAGMENT_WITH_HOLES = (
    "{% cached_fragment 'essai' %}<p>{{ renders.next }}</p>"
    "{% for item in items %}{% with inner='dedans' %}"
    "{% uncached %}<i>{{ live.next }} {{ inner }}</i>{% enduncached %}"
    "{% endwith %}{% endfor %}"
    "{% if show_form %}{% uncached %}<b>{{ live.next }}</b>{% enduncached %}{% endif %}"
    "{% endcached_fragment %}"
)


def _render_with_holes(user, *, secret="s" * 32, renders, live, show_form=True):
    from django.template import engines
    from django.test import RequestFactory

    request = RequestFactory().get("/espace/")
    request.user = user
    if secret:
        request.META["CSRF_COOKIE"] = secret
    template = engines["django"].from_string(FRAGMENT_WITH_HOLES)
    context = {
        "renders": renders,
        "live": live,
        "items": [1, 2],
        "show_form": show_form,
        "inner": "hors",
    }
    return template.render(context, request)


def test_the_uncached_parts_of_a_fragment_are_rendered_on_every_visit(db):
    from tests.factories import UserFactory

    alice, renders, live = UserFactory(), Renders(), Renders()

    first = _render_with_holes(alice, renders=renders, live=live)
    # Stored with the holes of the first rendering: the condition around one is part of it.
    second = _render_with_holes(alice, renders=renders, live=live, show_form=False)

    # The uncached parts see the context of the cached_fragment tag, cached or not.
    assert first == "<p>1</p><i>1 hors</i><i>2 hors</i><b>3</b>"
    assert second == "<p>1</p><i>4 hors</i><i>5 hors</i><b>6</b>"


def test_uncached_parts_render_in_place_without_a_cache_or_outside_a_fragment(db):
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines

    renders, live = Renders(), Renders()

    unstored = _render_with_holes(AnonymousUser(), renders=renders, live=live)
    alone = engines["django"].from_string("{% uncached %}<b>{{ live.next }}</b>{% enduncached %}")

    assert unstored == "<p>1</p><i>1 hors</i><i>2 hors</i><b>3</b>"
    assert alone.render({"live": live}) == "<b>4</b>"


def test_a_fragment_stored_by_a_former_template_is_not_used_by_a_changed_one(db):
    from django.template import engines
    from django.test import RequestFactory

    from tests.factories import UserFactory

    request = RequestFactory().get("/espace/")
    request.user, request.META["CSRF_COOKIE"] = UserFactory(), "s" * 32
    former = engines["django"].from_string(
        "{% cached_fragment 'essai' %}<p>{% uncached %}{{ a }}{% enduncached %}</p>"
        "{% endcached_fragment %}"
    )
    # A deployment: the same place in the template, other uncached parts.
    changed = engines["django"].from_string(
        "{% cached_fragment 'essai' %}<p>{% uncached %}{{ b }}{% enduncached %}"
        "{% if c %}{% uncached %}{{ a }}{% enduncached %}{% endif %}</p>{% endcached_fragment %}"
    )
    context = {"a": "A", "b": "B", "c": True}

    assert former.render(context, request) == "<p>A</p>"
    assert changed.render(context, request) == "<p>BA</p>"


def test_a_once_only_form_without_its_key_keeps_the_other_fields(db):
    from django import forms

    from core.forms import OnceFormMixin

    class NoteForm(OnceFormMixin):
        text = forms.CharField()

    form = NoteForm()

    assert list(form.without_key().fields) == ["text"]
    assert list(form.fields) == ["submission_key", "text"]
    assert 'name="submission_key"' not in str(form.without_key())
    assert 'name="text"' in str(form.without_key())


def test_invalidate_all_makes_every_watched_version_stale(db):
    from django.db import transaction

    names = sorted(cache_versions.WATCHED_NAMES)
    before = {name: cache_versions.current(name) for name in names}

    with transaction.atomic():
        cache_versions.invalidate_all()

    assert {"public-pages", "project-page", "inbox", "jury-pages", "espace"} <= set(names)
    assert all(cache_versions.current(name) != before[name] for name in names)
