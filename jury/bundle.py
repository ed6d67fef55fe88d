"""The jury's dossier: cover, running order, one section per project, in one PDF.

A kind of core.files (« jury-bundle »): built by a background task, project
by project so its progress shows, and shared by everyone who reads the same
projects (``source_hash``): kept until one of its dossiers or the running
order changes, or it expires. A juror's dossier leaves out the projects he
declared a conflict for, so it is another file than the coordination's.
"""

import hashlib
import io
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from accounts.rules import is_coordinator
from core import files
from core.models import BackgroundFile
from core.pdf import render_pdf
from jury.models import Audition, ConflictDeclaration, JurySession

KIND = "jury-bundle"
# A bundle nobody asks for again is deleted after this (the daily job of core.files).
KEEP = timedelta(days=30)

# Each part is printed without its own « Page 2 / 5 »: the whole bundle is numbered at the end.
WITHOUT_PAGE_NUMBERS = "@page { @bottom-right { content: none !important; } }"


def whole_bundle_for(user) -> bool:
    """Whether the person reads every project of the session (coordinators), conflicts or not."""
    return bool(is_coordinator(user))


def excluded_for(user, session: JurySession) -> str:
    """A juror's bundle leaves out the projects they declared a conflict for."""
    if whole_bundle_for(user):
        return ""
    ids = ConflictDeclaration.objects.filter(
        member__session=session, member__user=user, has_conflict=True
    ).values_list("project_id", flat=True)
    return ",".join(str(pk) for pk in sorted(ids))


def auditions_of(session: JurySession, excluded: str) -> list[Audition]:
    """The auditions whose dossiers the bundle holds, in the running order."""
    skip = {int(pk) for pk in excluded.split(",") if pk}
    return [
        audition
        for audition in session.auditions.select_related(
            "project__association", "project__snapshot__edition"
        ).order_by("position")
        if audition.project_id not in skip
    ]


def _sources(session: JurySession, excluded: str) -> list[tuple]:
    """What the bundle is made of, without the dossiers themselves: one light row each."""
    skip = {int(pk) for pk in excluded.split(",") if pk}
    rows = session.auditions.order_by("position").values_list(
        "project_id", "position", "starts_at", "project__snapshot__content_hash"
    )
    return [row for row in rows if row[0] not in skip]


def _digest(session: JurySession, excluded: str, sources: list[tuple]) -> str:
    parts = [str(session.pk), session.title, session.starts_at.isoformat(), excluded]
    for project_id, position, starts_at, content_hash in sources:
        parts += [str(project_id), str(position), starts_at.isoformat(), content_hash or ""]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def source_hash(session: JurySession, excluded: str) -> str:
    """Changes when a dossier, the order or the times change (one query, no dossier read)."""
    return _digest(session, excluded, _sources(session, excluded))


def _parameters(session: JurySession, excluded: str) -> dict:
    return {"session": session.pk, "excluded": excluded}


@transaction.atomic
def bundle_request(*, session: JurySession, user) -> BackgroundFile:
    """Return the current bundle for this person, queueing a new one when needed."""
    # Two people asking at once for the same projects: one file (the second waits here).
    JurySession.objects.select_for_update().filter(pk=session.pk).exists()
    excluded = excluded_for(user, session)
    sources = _sources(session, excluded)
    row, _created = files.request_file(
        owner=user,
        kind=KIND,
        title=f"Dossier du jury — {session.title}",
        parameters=_parameters(session, excluded),
        total=len(sources) + 1,
        keep=KEEP,
        source_hash=_digest(session, excluded, sources),
    )
    return row


def bundle_current(*, session: JurySession, user) -> BackgroundFile | None:
    """The bundle of what this person reads now (any state), or None."""
    excluded = excluded_for(user, session)
    return files.current_file(
        kind=KIND,
        parameters=_parameters(session, excluded),
        source_hash=source_hash(session, excluded),
    )


def _number_pages(writer: PdfWriter) -> None:
    """Stamp « Page N / total » of the whole bundle at the foot of every page."""
    numbers = PdfReader(
        io.BytesIO(render_pdf("jury/pdf/page_numbers.html", {"pages": range(len(writer.pages))}))
    )
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)


def build_bundle(row: BackgroundFile, progress: files.Progress) -> files.Built:
    """The cover, then each dossier as it was deposited, numbered over the whole file."""
    session = JurySession.objects.select_related("edition").get(pk=row.parameters["session"])
    auditions = auditions_of(session, row.parameters["excluded"])
    progress(0, len(auditions) + 1)
    writer = PdfWriter()
    cover = render_pdf(
        "jury/pdf/bundle_cover.html",
        {"session": session, "auditions": auditions, "generated_at": timezone.now()},
        extra_css=WITHOUT_PAGE_NUMBERS,
    )
    writer.append(io.BytesIO(cover))
    progress(1)
    for index, audition in enumerate(auditions, start=2):
        snapshot = audition.project.snapshot
        section = render_pdf(
            "submissions/pdf/dossier.html",
            {"snapshot": snapshot, "data": snapshot.data},
            extra_css=WITHOUT_PAGE_NUMBERS,
        )
        writer.append(io.BytesIO(section))
        progress(index)
    _number_pages(writer)
    output = io.BytesIO()
    writer.write(output)
    return files.Built(
        content=output.getvalue(),
        filename=f"dossier-du-jury-{session.pk}.pdf",
        content_type="application/pdf",
    )


def register() -> None:
    files.register(KIND, build_bundle)
