"""Files built in the background: asked for once, built with visible progress, downloaded when ready.

An app registers a builder per kind of file (in its ``AppConfig.ready``):

    files.register("coordination-export", build_export)

    def build_export(row: BackgroundFile, progress: files.Progress) -> files.Built:
        progress(0, total)           # as often as it likes: « 120 / 1 500 »
        ...
        return files.Built(content=b"...", filename="projets-2026.csv", content_type="text/csv")

A view asks for one with ``request_file``: a double click, or the same
request while the first is still being built, gives the same row. The row is
built by a task of the tasks framework once the request's transaction is
committed; its state goes through ``FILE`` (queued → running → ready or
failed), so the event log tells when each was built. A file is kept until its
``expires_at``; the daily job ``fichiers-expires`` deletes it and its row.

A file that is the same for everyone allowed to read it (the jury's dossier,
the minutes of a session) is asked for with a ``source_hash``: a digest of
what it shows. Whoever asks the same kind and parameters while the source is
unchanged gets the existing row (queued, being built or ready), whoever asked
first; ``current_file`` finds it for the page, and the app's own permission
decides who may read it. A changed source gives a new digest, so a new file.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.tasks import task
from django.utils import timezone

from core import schedule
from core.downloads import private_file_response
from core.models import BackgroundFile, FileState
from core.once import already_created
from core.text import plural
from core.workflow import Transition, Workflow, transition

logger = logging.getLogger(__name__)

UNFINISHED = (FileState.QUEUED, FileState.RUNNING)
DEFAULT_KEEP = timedelta(days=7)

# progress(done, total=None): how far the builder is; ``total`` when it learns it.
Progress = Callable[..., None]


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str


Builder = Callable[[BackgroundFile, Progress], Built]

_builders: dict[str, Builder] = {}


def register(kind: str, build: Builder) -> None:
    """Say which function builds the files of ``kind`` (a second call replaces the first)."""
    _builders[kind] = build


def registered_kinds() -> list[str]:
    return sorted(_builders)


def _finished(row: BackgroundFile, actor, reason: str) -> list[str]:
    row.done = row.total
    row.finished_at = timezone.now()
    return ["done", "finished_at"]


def _failed(row: BackgroundFile, actor, reason: str) -> list[str]:
    """The reason is the error's kind, kept for the technical team; the owner reads a sentence."""
    row.error = reason[:500]
    row.finished_at = timezone.now()
    return ["error", "finished_at"]


# Taken by the background task only (actor None: the portal itself).
FILE = Workflow(
    name="background-file",
    model=BackgroundFile,
    transitions=[
        Transition(
            "start",
            "Préparer",
            sources={FileState.QUEUED, FileState.RUNNING},
            target=FileState.RUNNING,
            internal=True,
        ),
        Transition(
            "finish",
            "Terminer",
            sources={FileState.RUNNING},
            target=FileState.READY,
            check=_finished,
            internal=True,
        ),
        Transition(
            "fail",
            "Échouer",
            sources={FileState.QUEUED, FileState.RUNNING},
            target=FileState.FAILED,
            check=_failed,
            internal=True,
        ),
    ],
)


def fingerprint(kind: str, parameters: dict) -> str:
    """The same request gives the same digest, whatever the order of its parameters."""
    text = json.dumps([kind, parameters], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _shared(kind: str, digest: str, source_hash: str) -> QuerySet[BackgroundFile]:
    return BackgroundFile.objects.filter(
        kind=kind, fingerprint=digest, source_hash=source_hash, expires_at__gt=timezone.now()
    )


def _twin(
    *, owner, kind: str, digest: str, submission_key, reuse_within: timedelta, source_hash: str
) -> BackgroundFile | None:
    earlier = already_created(BackgroundFile, submission_key)
    if earlier is not None and earlier.owner_id == owner.pk:
        return earlier
    if source_hash:
        return (
            _shared(kind, digest, source_hash)
            .select_for_update()
            .exclude(state=FileState.FAILED)
            .order_by("-created_at", "-pk")
            .first()
        )
    wanted = Q(state__in=UNFINISHED)
    if reuse_within:
        wanted |= Q(created_at__gte=timezone.now() - reuse_within) & ~Q(state=FileState.FAILED)
    return (
        BackgroundFile.objects.select_for_update()
        .filter(owner=owner, kind=kind, fingerprint=digest)
        .filter(wanted)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def request_file(
    *,
    owner,
    kind: str,
    title: str,
    parameters: dict,
    total: int = 0,
    keep: timedelta = DEFAULT_KEEP,
    reuse_within: timedelta = timedelta(0),
    submission_key=None,
    source_hash: str = "",
    before_create: Callable[[], None] | None = None,
) -> tuple[BackgroundFile, bool]:
    """Return the file asked for and whether this call created it; build it after the commit.

    The same form sent twice (``submission_key``), or the same request while
    the first one is still queued or being built, or made less than
    ``reuse_within`` ago (a button without form key), returns the existing row.
    With a ``source_hash``, the file is shared: anyone's row of the same kind,
    parameters and source, unless failed or expired, is the answer (the
    caller locks what the file is made of when two people may ask at once).
    ``before_create`` runs only when a row is about to be created (a rate
    limit that raises to refuse): a double click is not counted twice.
    """
    if kind not in _builders:
        raise KeyError(f"Aucun constructeur de fichier pour « {kind} »")
    digest = fingerprint(kind, parameters)
    existing = _twin(
        owner=owner,
        kind=kind,
        digest=digest,
        submission_key=submission_key,
        reuse_within=reuse_within,
        source_hash=source_hash,
    )
    if existing is not None:
        return existing, False
    if before_create is not None:
        before_create()
    now = timezone.now()
    row = BackgroundFile(
        owner=owner,
        kind=kind,
        title=title,
        parameters=parameters,
        fingerprint=digest,
        source_hash=source_hash,
        total=total,
        submission_key=submission_key,
        created_at=now,
        expires_at=now + keep,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # A concurrent twin won the race: its row is the answer.
        existing = _twin(
            owner=owner,
            kind=kind,
            digest=digest,
            submission_key=submission_key,
            reuse_within=reuse_within,
            source_hash=source_hash,
        )
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: build_file_task.enqueue(row.pk))
    return row, True


def _progress_of(row: BackgroundFile) -> Progress:
    def progress(done: int, total: int | None = None) -> None:
        fields = {"done": done} if total is None else {"done": done, "total": total}
        BackgroundFile.objects.filter(pk=row.pk).update(**fields)

    return progress


def file_build(file_id: int) -> None:
    """Build one requested file; a failure is kept on the row, never raised to the worker."""
    row = BackgroundFile.objects.filter(pk=file_id).first()
    if row is None or row.is_finished:
        return
    row = transition(FILE, row, "start", internal=True)
    try:
        built = _builders[row.kind](row, _progress_of(row))
    except Exception as error:
        logger.exception("Background file %s (%s) failed", file_id, row.kind)
        transition(FILE, row, "fail", reason=type(error).__name__, internal=True)
        return
    with transaction.atomic():
        row.refresh_from_db(fields=["total"])
        row.file.save(built.filename, ContentFile(built.content), save=False)
        row.filename = built.filename
        row.content_type = built.content_type
        row.save(update_fields=["file", "filename", "content_type"])
        transition(FILE, row, "finish", internal=True)


@task
def build_file_task(file_id: int) -> None:
    file_build(file_id)


# --- Reading ------------------------------------------------------------------------------


def files_of(user, kind: str) -> QuerySet[BackgroundFile]:
    """The files of ``kind`` a person asked for and that are still kept, newest first."""
    if not user.is_authenticated:
        return BackgroundFile.objects.none()
    return BackgroundFile.objects.filter(owner=user, kind=kind, expires_at__gt=timezone.now())


def file_of(user, kind: str, pk: int) -> BackgroundFile | None:
    """One of the person's own files; another person's is None (404)."""
    return files_of(user, kind).filter(pk=pk).first()


def current_file(*, kind: str, parameters: dict, source_hash: str) -> BackgroundFile | None:
    """The newest shared file of this source (any state, a failure included), or None."""
    digest = fingerprint(kind, parameters)
    return _shared(kind, digest, source_hash).order_by("-created_at", "-pk").first()


def download_response(row: BackgroundFile):
    """Send a ready file to its owner, never cached."""
    return private_file_response(row.file, row.filename, row.content_type)


# --- Expiry -------------------------------------------------------------------------------


def delete_expired(now: datetime) -> int:
    """Delete the files past their ``expires_at``, with their rows; return how many."""
    count = 0
    for row in BackgroundFile.objects.filter(expires_at__lte=now).order_by("pk"):
        if row.file:
            row.file.delete(save=False)
        row.delete()
        count += 1
    return count


def delete_owned(owner) -> int:
    """Delete a person's files and their rows (an erased account); return how many."""
    count = 0
    for row in BackgroundFile.objects.filter(owner=owner).order_by("pk"):
        if row.file:
            row.file.delete(save=False)
        row.delete()
        count += 1
    return count


def expiry_job(now: datetime) -> str:
    count = delete_expired(now)
    return f"{count} {plural(count, 'fichier préparé supprimé', 'fichiers préparés supprimés')}"


def register_jobs() -> None:
    schedule.register(
        "fichiers-expires",
        expiry_job,
        every=timedelta(days=1),
        description="Supprime les exports et archives de données personnelles expirés.",
    )
