"""Check uploaded files by what they contain, not by what they claim."""

import hashlib
import io
import os
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

# extension -> (detected type, MIME type sent on download)
ALLOWED = {
    "pdf": ("pdf", "application/pdf"),
    "png": ("png", "image/png"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "webp": ("webp", "image/webp"),
    "odt": ("odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ALLOWED_LABEL = "PDF, images (JPEG, PNG, WebP), ODT, ODS, DOCX, XLSX"

# Office files are zip archives: what a person calls them, for the messages.
OFFICE_NAMES = {
    "docx": "Word",
    "xlsx": "Excel",
    "odt": "OpenDocument texte (ODT)",
    "ods": "OpenDocument tableur (ODS)",
}
# A real document stays far below these bounds; a "zip bomb" inflates past them.
ARCHIVE_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
ARCHIVE_MAX_MEMBERS = 1000
_ZIP64_EXTRA_ID = 0x0001
_ZIP64_LOCATOR = b"PK\x06\x07"
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


# What filetype answers (by its magic bytes) -> the kind this portal names it.
_FILETYPE_KINDS = {"pdf": "pdf", "png": "png", "apng": "png", "jpg": "jpeg", "webp": "webp"}
# filetype guesses office files from the order of their first zip entries, which
# varies between programs: for any zip, the archive's own listing decides.
_ZIP_FAMILY = {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}


def _office_kind(upload) -> str | None:
    """ODT/ODS by their ``mimetype`` entry, DOCX/XLSX by ``[Content_Types].xml``."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read a few bytes only: a forged entry could inflate to gigabytes.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return {ALLOWED["odt"][1]: "odt", ALLOWED["ods"][1]: "ods"}.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, kind in (("word/", "docx"), ("xl/", "xlsx")):
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_kind(upload) -> str | None:
    """Return the file's real type: filetype reads the first bytes, a zip's listing the rest."""
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    upload.seek(0)
    if guess is None:
        return None
    if guess.extension in _ZIP_FAMILY:
        return _office_kind(upload)
    return _FILETYPE_KINDS.get(guess.extension)


def _has_zip64_extra(extra: bytes) -> bool:
    """Whether a central directory entry carries a zip64 extra field."""
    position = 0
    while position + 4 <= len(extra):
        header_id, size = (
            int.from_bytes(extra[position : position + 2], "little"),
            int.from_bytes(extra[position + 2 : position + 4], "little"),
        )
        if header_id == _ZIP64_EXTRA_ID:
            return True
        position += 4 + size
    return False


def archive_problem(data: bytes) -> str | None:
    """Return why an office archive is abnormal, from its central directory only.

    Nothing is decompressed: the sizes are those the archive declares, which is
    what an unzipping program would trust.
    """
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY)
    if end >= 20 and data[end - 20 : end - 16] == _ZIP64_LOCATOR:
        return "il utilise le format ZIP64, réservé aux fichiers de plusieurs gigaoctets"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a zip at all: the content check says so
    if len(members) > ARCHIVE_MAX_MEMBERS:
        return f"il contient {len(members)} fichiers internes ({ARCHIVE_MAX_MEMBERS} au plus)"
    if any(_has_zip64_extra(member.extra) for member in members):
        return "il utilise le format ZIP64, réservé aux fichiers de plusieurs gigaoctets"
    inflated = sum(member.file_size for member in members)
    if inflated > ARCHIVE_MAX_UNCOMPRESSED_BYTES:
        return f"une fois décompressé, il ferait {inflated // (1024 * 1024)} Mo ({ARCHIVE_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} Mo au plus)"
    if inflated > ARCHIVE_MAX_RATIO * max(len(data), 1):
        return f"une fois décompressé, il serait {inflated // max(len(data), 1)} fois plus gros ({ARCHIVE_MAX_RATIO} fois au plus)"
    return None


def _check_archive(upload, extension: str) -> None:
    upload.seek(0)
    problem = archive_problem(upload.read())
    upload.seek(0)
    if problem:
        raise ValidationError(
            (
                f"Ce fichier {OFFICE_NAMES[extension]} est une archive anormale : {problem} ; "
                "enregistrez-le à nouveau ou envoyez un PDF."
            ),
            code="archive",
        )


def validate_upload(upload) -> tuple[str, str]:
    """Return (extension, MIME type) or raise a ValidationError that says why."""
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            (
                f"« {name} » dépasse {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)} Mo, la taille maximale d'un fichier. "
                "Réduisez-le (photos plus petites, PDF compressé) ou découpez-le."
            ),
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(f"« {name} » est vide.", code="empty")
    if extension not in ALLOWED:
        raise ValidationError(
            f"« {name} » n'est pas d'un type accepté. Types acceptés : {ALLOWED_LABEL}.",
            code="extension",
        )
    expected, mime = ALLOWED[extension]
    if extension in OFFICE_NAMES:
        _check_archive(upload, extension)
    if detect_kind(upload) != expected:
        raise ValidationError(
            (
                f"Le contenu de « {name} » ne correspond pas à un fichier {extension.upper()}. "
                "Enregistrez-le à nouveau depuis votre logiciel, ou envoyez-le en PDF."
            ),
            code="content",
        )
    return extension, mime


def checked_upload(upload) -> dict:
    """Check an upload (``validate_upload``) and return what an attachment row records of it:
    its name as sent, its type read from the content, its size and its SHA-256."""
    _extension, mime = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return {
        "original_name": os.path.basename(upload.name)[:200],
        "content_type": mime,
        "size": upload.size,
        "sha256": digest.hexdigest(),
    }
