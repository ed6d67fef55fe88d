"""Check uploaded files by what they contain, not by what they claim."""

import io
import os
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def _zip_kind(head: bytes, upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read a few bytes only: a forged entry could inflate to gigabytes.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                return {
                    ALLOWED["odt"][1]: "odt",
                    ALLOWED["ods"][1]: "ods",
                }.get(mimetype)
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return "docx"
                if any(name.startswith("xl/") for name in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_kind(upload) -> str | None:
    """Return the file's real type from its first bytes (and inner layout for zips)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, upload)
    return None


def validate_upload(upload) -> tuple[str, str]:
    """Return (extension, MIME type) or raise a ValidationError that says why."""
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _(
                "« %(name)s » dépasse %(limit)s Mo, la taille maximale d'un fichier. "
                "Réduisez-le (photos plus petites, PDF compressé) ou découpez-le."
            )
            % {"name": name, "limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name}, code="empty")
    if extension not in ALLOWED:
        raise ValidationError(
            _("« %(name)s » n'est pas d'un type accepté. Types acceptés : %(types)s.")
            % {"name": name, "types": ALLOWED_LABEL},
            code="extension",
        )
    expected, mime = ALLOWED[extension]
    if detect_kind(upload) != expected:
        raise ValidationError(
            _(
                "Le contenu de « %(name)s » ne correspond pas à un fichier %(ext)s. "
                "Enregistrez-le à nouveau depuis votre logiciel, ou envoyez-le en PDF."
            )
            % {"name": name, "ext": extension.upper()},
            code="content",
        )
    return extension, mime
