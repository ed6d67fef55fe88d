"""The order the suite runs in (tests/conftest.py): the longest browser journeys first."""

from pathlib import Path

import pytest

from tests.conftest import LONGEST_BROWSER_TESTS, _longest_browser_journeys_first

BROWSER_TESTS = Path(__file__).parent / "browser"


@pytest.mark.parametrize("name", LONGEST_BROWSER_TESTS)
def test_each_listed_journey_exists(name):
    """A renamed journey would silently go back to its place in the order."""
    module, function = name.split("::")
    assert f"def {function}" in (BROWSER_TESTS / module).read_text()


class _Item:
    def __init__(self, nodeid: str, *, browser: bool):
        self.nodeid = nodeid
        self.browser = browser

    def get_closest_marker(self, name):
        return object() if name == "browser" and self.browser else None

    def __repr__(self):
        return self.nodeid


def test_the_longest_journeys_move_first_among_the_browser_tests_only():
    items = [
        _Item("tests/test_a.py::test_fast", browser=False),
        _Item("tests/browser/test_signup_flow.py::test_short", browser=True),
        _Item("tests/test_b.py::test_other", browser=False),
        _Item(f"tests/browser/{LONGEST_BROWSER_TESTS[1]}", browser=True),
        _Item(f"tests/browser/{LONGEST_BROWSER_TESTS[0]}", browser=True),
    ]
    short, longest_but_one, longest = items[1], items[3], items[4]

    _longest_browser_journeys_first(items)

    assert [item.nodeid for item in items] == [
        "tests/test_a.py::test_fast",
        longest.nodeid,
        "tests/test_b.py::test_other",
        longest_but_one.nodeid,
        short.nodeid,
    ]
