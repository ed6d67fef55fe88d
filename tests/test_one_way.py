"""One way to change a state: only the workflow engine writes states and events (issue 8).

A lifecycle is a ``core.workflow.Workflow``; ``transition()`` is the only code
that writes a state, and ``transition()`` / ``record()`` the only code that
writes the event log. This test reads the apps' source and fails on any other
way: an assignment to ``.state``, a ``setattr(…, "state", …)``, an
``.update(state=…)``, an ``Event(…)`` or ``Event.objects.create(…)``.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "accounts",
    "notifications",
    "submissions",
    "jury",
    "laureates",
    "network",
    "coordination",
    "privacy",
    "label_portal",
]
# The engine itself: the one place allowed to write states and events.
ENGINE = ROOT / "core" / "workflow.py"


def _is_event(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "Event"


def offences(source: str) -> list[str]:
    """Return the lines of ``source`` that write a state or an event by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for item in ast.walk(target):
                if isinstance(item, ast.Attribute) and item.attr == "state":
                    found.append(f"{node.lineno}: assignment to .state")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        updates_state = any(keyword.arg == "state" for keyword in node.keywords)
        if isinstance(func, ast.Attribute) and func.attr == "update" and updates_state:
            found.append(f"{node.lineno}: .update(state=…)")
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "state"
        ):
            found.append(f"{node.lineno}: setattr(…, 'state', …)")
        if _is_event(func):
            found.append(f"{node.lineno}: Event(…)")
        if (
            isinstance(func, ast.Attribute)
            and func.attr in {"create", "bulk_create", "get_or_create", "update_or_create"}
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and _is_event(func.value.value)
        ):
            found.append(f"{node.lineno}: Event.objects.{func.attr}(…)")
    return found


def _sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts or path == ENGINE:
            continue
        yield path


@pytest.mark.parametrize("app", APPS)
def test_states_and_events_are_written_only_by_the_workflow_engine(app):
    found = {
        str(path.relative_to(ROOT)): lines
        for path in _sources(app)
        if (lines := offences(path.read_text()))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("project.state = 'open'", ["1: assignment to .state"]),
        ("a.state, b = 1, 2", ["1: assignment to .state"]),
        ("Project.objects.filter(pk=1).update(state='open')", ["1: .update(state=…)"]),
        ("setattr(project, 'state', 'open')", ["1: setattr(…, 'state', …)"]),
        ("Event.objects.create(action='x')", ["1: Event.objects.create(…)"]),
        ("Event(action='x').save()", ["1: Event(…)"]),
        # Reading a state, filtering on it, or another field named like it is fine.
        ("if project.state == 'open':\n    x = project.state", []),
        ("Project.objects.filter(state='open').update(title='x')", []),
        ("edition.results_state = 1", []),
    ],
)
def test_the_scan_finds_every_hand_written_state_or_event(source, expected):
    assert offences(source) == expected
