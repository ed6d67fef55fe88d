"""The repository stands alone: its documents are inside it."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".git", ".venv", ".pgdata", "var", "media", "staticfiles", "static", "__pycache__"}
# A path into the folder that lies beside the repository, not inside it.
OUTSIDE = re.compile(r"(?<![\w.-])(?:\.\./)?shared/")


def _text_files():
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED]
        for name in names:
            if Path(name).suffix in {".md", ".py", ".html", ".txt", ".toml", ".sh", ""}:
                yield Path(folder, name)


def test_no_file_points_outside_the_repository():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _text_files()
        if path != Path(__file__)
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_the_readme_links_to_documents_of_the_repository():
    readme = (ROOT / "README.md").read_text()
    links = set(re.findall(r"\]\(([^)#]+)\)", readme))

    assert {"docs/DESIGN.md", "docs/STYLE.md"} <= links
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_the_readme_says_where_development_mails_appear_and_how_to_change_the_port():
    readme = (ROOT / "README.md").read_text()

    assert "`make run PORT=8001`" in readme
    assert "`var/worker.log`" in readme
    assert "console.EmailBackend" in readme
