"""Every rule the apps declare is used, and views check no role by hand (core.permissions)."""

import ast
import re
from pathlib import Path

import pytest
import rules

ROOT = Path(__file__).resolve().parent.parent
PORTAL_APPS = [
    "accounts",
    "notifications",
    "submissions",
    "jury",
    "laureates",
    "network",
    "coordination",
    "privacy",
]
# What a view may not write: the rule belongs to a rules.py, declared with core.permissions.
ROLE_ATTRIBUTES = {"is_coordinator", "is_juror", "is_officer", "has_perm"}
ROLE_HELPERS = {"actor_roles"}


def portal_permissions() -> list[str]:
    return sorted(
        name for name in rules.permissions.permissions if name.split(".")[0] in PORTAL_APPS
    )


def source_files() -> list[Path]:
    """Views, services, selectors, templates…: everything but the rules that declare."""
    files = [ROOT / "label_portal" / "views.py", *(ROOT / "templates").rglob("*.html")]
    for app in PORTAL_APPS:
        files += [
            path
            for path in (ROOT / app).rglob("*")
            if path.suffix in {".py", ".html", ".txt"}
            and path.name != "rules.py"
            and "migrations" not in path.parts
        ]
    return files


def unused(permissions: list[str], texts: list[str]) -> list[str]:
    def used(name: str) -> bool:
        pattern = re.compile(rf"""["']{re.escape(name)}["']|perms\.{re.escape(name)}\b""")
        return any(pattern.search(text) for text in texts)

    return [name for name in permissions if not used(name)]


def view_modules() -> list[Path]:
    modules = [ROOT / "label_portal" / "views.py"]
    for app in PORTAL_APPS:
        modules += [
            path
            for path in (ROOT / app).rglob("*.py")
            if path.name == "views.py" or "views" in path.relative_to(ROOT / app).parts[:-1]
        ]
    return modules


def hand_written_checks(source: str) -> list[str]:
    """The role checks and bare 404s written in a view module, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ROLE_ATTRIBUTES:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ROLE_HELPERS:
            found.append(f"{node.lineno}: {node.id}")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == "Http404":
                found.append(f"{node.lineno}: raise Http404")
    return sorted(found, key=lambda entry: (int(entry.split(":")[0]), entry))


def test_the_apps_declare_their_rules():
    assert {name.split(".")[0] for name in portal_permissions()} == {
        "accounts",
        "notifications",
        "submissions",
        "jury",
        "laureates",
        "network",
        "coordination",
        "privacy",
    }


def test_every_declared_permission_is_used():
    texts = [path.read_text() for path in source_files()]

    assert unused(portal_permissions(), texts) == []


def test_a_permission_named_nowhere_is_reported_unused():
    texts = ['@object_permission("jury.deliberate", get=session_of)', "{% if perms.jury.prepare %}"]

    assert unused(["jury.deliberate", "jury.prepare", "jury.deliberate_more"], texts) == [
        "jury.deliberate_more"
    ]


def test_views_are_found():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}

    assert {"accounts/views.py", "submissions/views.py", "jury/views/setup.py"} <= names


@pytest.mark.parametrize("path", view_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_views_check_no_role_by_hand(path):
    assert hand_written_checks(path.read_text()) == []


def test_a_role_checked_by_hand_is_reported():
    source = """
def view(request, pk):
    if not request.user.is_coordinator:
        raise Http404
    if not actor_roles(request.user, project) or not request.user.has_perm("x.y"):
        raise Http404()
"""

    assert hand_written_checks(source) == [
        "3: .is_coordinator",
        "4: raise Http404",
        "5: .has_perm",
        "5: actor_roles",
        "6: raise Http404",
    ]
