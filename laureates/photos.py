"""A card's photo: checked by its content, then resized and re-encoded before it is kept.

The check reads the file's first bytes with the portal's one detector
(``submissions.uploads.detect_kind``), never its name; the re-encoding with
Pillow drops everything but the pixels (EXIF, GPS position, comments).
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from submissions.uploads import detect_kind

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_WIDTH = 1600
# detected kind -> (Pillow format, extension, MIME type)
PHOTO_FORMATS = {
    "jpeg": ("JPEG", "jpg", "image/jpeg"),
    "png": ("PNG", "png", "image/png"),
    "webp": ("WEBP", "webp", "image/webp"),
}
# Above this many pixels Pillow's decoder is not asked: a "pixel bomb" is refused.
_MAX_PIXELS = 40_000_000


def check_photo(upload) -> str:
    """Return the photo's kind (jpeg, png, webp) or raise a ValidationError that says why."""
    name = upload.name or "la photo"
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            f"« {name} » dépasse 5 Mo. Envoyez une photo plus légère "
            "(par exemple prise en qualité normale, ou réduite).",
            code="too_big",
        )
    kind = detect_kind(upload)
    if kind not in PHOTO_FORMATS:
        raise ValidationError(
            f"« {name} » n'est pas une photo JPEG, PNG ou WebP. "
            "Choisissez une photo enregistrée dans l'un de ces formats.",
            code="not_an_image",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.width * image.height > _MAX_PIXELS:
                raise ValidationError(
                    f"« {name} » est trop grande ({image.width} × {image.height} pixels).",
                    code="too_many_pixels",
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            f"« {name} » est abîmée ou incomplète : enregistrez-la à nouveau.",
            code="broken",
        ) from error
    finally:
        upload.seek(0)
    return kind


def reencoded_photo(upload) -> ContentFile:
    """Return the photo at most 1 600 pixels wide, upright, without its metadata."""
    kind = check_photo(upload)
    pillow_format, extension, _mime = PHOTO_FORMATS[kind]
    with Image.open(upload) as original:
        # Turned as the camera meant it, since the orientation tag goes with the EXIF.
        image = ImageOps.exif_transpose(original)
        if image.width > PHOTO_MAX_WIDTH:
            height = round(image.height * PHOTO_MAX_WIDTH / image.width)
            image = image.resize((PHOTO_MAX_WIDTH, height), Image.Resampling.LANCZOS)
        if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        output = io.BytesIO()
        options = {"quality": 85, "optimize": True} if pillow_format in ("JPEG", "WEBP") else {}
        # No exif= argument: Pillow writes none, so the GPS position and the rest are gone.
        image.save(output, format=pillow_format, **options)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def photo_content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    for _format, known, mime in PHOTO_FORMATS.values():
        if extension == known:
            return mime
    return "application/octet-stream"
