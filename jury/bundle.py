"""The jury's dossier: cover, running order, one section per project, in one PDF.

Built by a background task, project by project so its progress shows; kept
until one of its dossiers or the running order changes.
"""

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from accounts.rules import is_coordinator
from core.pdf import render_pdf
from core.workflow import transition
from jury.enums import BundleState
from jury.models import ConflictDeclaration, JuryBundle, JurySession
from jury.workflows import BUNDLE

logger = logging.getLogger(__name__)

# Each part is printed without its own « Page 2 / 5 »: the whole bundle is numbered at the end.
_WITHOUT_PAGE_NUMBERS = "@page { @bottom-right { content: none !important; } }"


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


def _auditions(session: JurySession, excluded: str):
    skip = {int(pk) for pk in excluded.split(",") if pk}
    return [
        audition
        for audition in session.auditions.select_related(
            "project__association", "project__snapshot__edition"
        ).order_by("position")
        if audition.project_id not in skip
    ]


def source_hash(session: JurySession, excluded: str) -> str:
    """Changes when a dossier, the order or the times change."""
    parts = [str(session.pk), session.title, session.starts_at.isoformat(), excluded]
    for audition in _auditions(session, excluded):
        snapshot = getattr(audition.project, "snapshot", None)
        parts += [
            str(audition.project_id),
            str(audition.position),
            audition.starts_at.isoformat(),
            snapshot.content_hash if snapshot else "",
        ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@transaction.atomic
def bundle_request(*, session: JurySession, user) -> JuryBundle:
    """Return the current bundle for this person, queueing a new one when needed."""
    excluded = excluded_for(user, session)
    digest = source_hash(session, excluded)
    current = (
        JuryBundle.objects.select_for_update()
        .filter(session=session, excluded=excluded, source_hash=digest)
        .exclude(state=BundleState.FAILED)
        .first()
    )
    if current is not None:
        return current
    bundle = JuryBundle.objects.create(
        session=session,
        excluded=excluded,
        source_hash=digest,
        total=len(_auditions(session, excluded)) + 1,
        requested_by=user,
    )
    transaction.on_commit(lambda: build_bundle_task.enqueue(bundle.pk))
    return bundle


def bundle_current(*, session: JurySession, user) -> JuryBundle | None:
    excluded = excluded_for(user, session)
    return (
        JuryBundle.objects.filter(
            session=session, excluded=excluded, source_hash=source_hash(session, excluded)
        )
        .order_by("-created_at")
        .first()
    )


def _progress(bundle: JuryBundle, done: int) -> None:
    JuryBundle.objects.filter(pk=bundle.pk).update(done_count=done)


def _number_pages(writer: PdfWriter) -> None:
    """Stamp « Page N / total » of the whole bundle at the foot of every page."""
    numbers = PdfReader(
        io.BytesIO(render_pdf("jury/pdf/page_numbers.html", {"pages": range(len(writer.pages))}))
    )
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)


def bundle_build(bundle_id: int) -> None:
    bundle = JuryBundle.objects.select_related("session__edition").get(pk=bundle_id)
    if bundle.is_done:
        return
    transition(BUNDLE, bundle, "start", internal=True)
    session = bundle.session
    auditions = _auditions(session, bundle.excluded)
    try:
        writer = PdfWriter()
        cover = render_pdf(
            "jury/pdf/bundle_cover.html",
            {"session": session, "auditions": auditions, "generated_at": timezone.now()},
            extra_css=_WITHOUT_PAGE_NUMBERS,
        )
        writer.append(io.BytesIO(cover))
        _progress(bundle, 1)
        for index, audition in enumerate(auditions, start=2):
            snapshot = audition.project.snapshot
            section = render_pdf(
                "submissions/pdf/dossier.html",
                {"snapshot": snapshot, "data": snapshot.data},
                extra_css=_WITHOUT_PAGE_NUMBERS,
            )
            writer.append(io.BytesIO(section))
            _progress(bundle, index)
        _number_pages(writer)
        output = io.BytesIO()
        writer.write(output)
    except Exception as error:
        logger.exception("Jury bundle %s failed", bundle_id)
        transition(BUNDLE, bundle, "fail", reason=str(error)[:500], internal=True)
        return
    with transaction.atomic():
        bundle.pdf.save(f"jury-{session.pk}.pdf", ContentFile(output.getvalue()), save=False)
        bundle.save(update_fields=["pdf"])
        transition(BUNDLE, bundle, "finish", internal=True)


@task
def build_bundle_task(bundle_id: int) -> None:
    bundle_build(bundle_id)
