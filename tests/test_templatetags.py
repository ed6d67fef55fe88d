import datetime

from django.template import Context, Template


def _render(text, **context):
    return Template(text).render(Context(context))


def test_iso_gives_a_moment_to_the_second_in_paris_time():
    moment = datetime.datetime(2026, 11, 29, 20, 37, 59, 476569, tzinfo=datetime.UTC)

    assert _render("{{ moment|iso }}", moment=moment) == "2026-11-29T21:37:59+01:00"


def test_iso_gives_a_day_as_is_and_nothing_for_no_value():
    assert _render("{{ day|iso }}", day=datetime.date(2026, 11, 29)) == "2026-11-29"
    assert _render("[{{ day|iso }}]", day=None) == "[]"
