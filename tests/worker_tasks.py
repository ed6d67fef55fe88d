"""A task for the worker test: it leaves a file behind, so the test sees it ran."""

from pathlib import Path

from django.tasks import task


@task
def leave_a_mark(path: str) -> str:
    Path(path).write_text("fait")
    return path
