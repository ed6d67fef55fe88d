"""Imports flow one way: the toolbox imports no app, apps never import the project package."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGE_APPS = [
    "accounts",
    "notifications",
    "submissions",
    "jury",
    "laureates",
    "network",
    "coordination",
    "privacy",
]
# Earlier stages never import later ones (DESIGN.md: the yearly cycle).
CYCLE = ["core", *STAGE_APPS]


def imported_top_packages(app: str) -> dict[str, set[str]]:
    """Map each module file of an app to the top-level packages it imports."""
    found = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("app", [*STAGE_APPS, "core"])
def test_apps_never_import_the_project_package(app):
    offenders = {f for f, names in imported_top_packages(app).items() if "label_portal" in names}
    assert offenders == set()


@pytest.mark.parametrize("app", CYCLE)
def test_an_app_imports_no_later_stage(app):
    later = set(CYCLE[CYCLE.index(app) + 1 :])
    offenders = {
        f: sorted(names & later) for f, names in imported_top_packages(app).items() if names & later
    }
    assert offenders == {}


def test_views_never_import_another_app_views():
    offenders = []
    for app in STAGE_APPS:
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    top, *rest = node.module.split(".")
                    if top != app and top in STAGE_APPS and rest[:1] == ["views"]:
                        offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []


TRANSLATION_FUNCTIONS = {"gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
TRANSLATION_FUNCTIONS |= {"pgettext_lazy", "npgettext", "npgettext_lazy", "gettext_noop"}


def test_the_portal_is_written_in_french_without_gettext():
    """French only, uniformly: no module wraps its strings in Django's translation functions."""
    offenders = []
    for app in ["core", "label_portal", *STAGE_APPS]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                    used = {alias.name for alias in node.names} & TRANSLATION_FUNCTIONS
                    if used:
                        offenders.append(f"{path.relative_to(ROOT)}: {sorted(used)}")
    assert offenders == []


def test_templates_use_no_translation_tags():
    tags = ("{% load i18n", "{% trans ", "{% translate ", "{% blocktrans")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if any(tag in path.read_text() for tag in tags)
    ]
    assert offenders == []


# A template shows what the view allows; it never decides who may do what. The views pass
# flags computed with core.permissions.allowed() or decided by a selector (``can_prepare``,
# ``sees_all_projects``), so a role rule lives in the apps' rules.py alone.
ROLE_TEST_IN_TEMPLATE = re.compile(
    r"\buser\.(is_coordinator|is_juror|is_staff|is_superuser|officer_contract\w*)\b"
    r"|==\s*(request\.)?user\.(pk|id)\b|\buser\.(pk|id)\s*=="
)


@pytest.mark.parametrize(
    "snippet",
    [
        "{% if user.is_coordinator %}",
        "{% if not request.user.is_juror %}",
        "{% if user.officer_contract_id %}",
        "{% if session.president_id == user.pk %}",
        "{% if user.pk == session.president_id %}",
    ],
)
def test_the_template_role_check_detector_sees_a_hand_written_rule(snippet):
    assert ROLE_TEST_IN_TEMPLATE.search(snippet)


def test_templates_test_no_role_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_TEST_IN_TEMPLATE.search(line)
    ]
    assert offenders == []
