"""The jury changes states only through core.workflow: no `.state =`, no `update(state=…)`,
no event written by hand (issue 8: one way to do each thing)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
STATE_WRITERS = {"update", "update_or_create", "get_or_create", "bulk_update"}


def offences(source: str) -> list[str]:
    """What in ``source`` writes a state or an event without the workflow engine."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        found += [
            f"line {node.lineno}: .state ="
            for target in targets
            if isinstance(target, ast.Attribute) and target.attr == "state"
        ]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "setattr" and len(node.args) > 1:
            attribute = node.args[1]
            if isinstance(attribute, ast.Constant) and attribute.value == "state":
                found.append(f"line {node.lineno}: setattr(…, 'state', …)")
        writes_state = any(keyword.arg == "state" for keyword in node.keywords)
        if name in STATE_WRITERS and (writes_state or _defaults_state(node)):
            found.append(f"line {node.lineno}: {name}(state=…)")
        if name == "Event" or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "objects"
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == "Event"
        ):
            found.append(f"line {node.lineno}: an Event written by hand")
    return found


def _defaults_state(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
            return any(
                isinstance(key, ast.Constant) and key.value == "state" for key in keyword.value.keys
            )
    return False


@pytest.mark.parametrize(
    "source",
    [
        "session.state = 'closed'",
        "bundle.state: str = 'done'",
        "setattr(session, 'state', 'open')",
        "JuryBundle.objects.filter(pk=1).update(state='running')",
        "Evaluation.objects.update_or_create(pk=1, defaults={'state': 'submitted'})",
        "Event.objects.create(action='close')",
        "Event(action='close').save()",
    ],
)
def test_the_scan_sees_a_state_or_an_event_written_by_hand(source):
    assert offences(source) != []


def test_the_scan_lets_reads_and_the_engine_pass():
    source = (
        "Evaluation.objects.filter(state='submitted').update(version=2)\n"
        "transition(SESSION, session, 'close', actor=user)\n"
        "record(EVALUATION, evaluation, 'amend', changes={})\n"
        "closed = session.state == 'closed'\n"
    )
    assert offences(source) == []


def test_no_jury_code_writes_a_state_or_an_event_by_hand():
    found = {}
    for path in sorted((ROOT / "jury").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if problems := offences(path.read_text()):
            found[str(path.relative_to(ROOT))] = problems
    assert found == {}
