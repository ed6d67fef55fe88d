"""Office files are zip archives: abnormal ones are refused before anyone opens them."""

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Commune
from submissions.models import Project
from submissions.uploads import detect_kind, validate_upload
from tests.factories import AssociationFactory, member_of
from tests.utils import page

CONTENT_TYPES = b'<?xml version="1.0"?><Types/>'


def _docx(members: dict[str, bytes]) -> bytes:
    """A DOCX-shaped archive: its content types, then the given members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def _with_zip64_end_record(data: bytes) -> bytes:
    """Insert a zip64 end-of-central-directory record and locator, as a zip64 writer does."""
    end = data.rfind(b"PK\x05\x06")
    (_sig, _disk, _cd_disk, on_disk, total, cd_size, cd_offset, _comment) = struct.unpack(
        "<4s4H2LH", data[end : end + 22]
    )
    record = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, on_disk, total, cd_size, cd_offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    return data[:end] + record + locator + data[end:]


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def draft(client, db):
    member = member_of(AssociationFactory(commune=Commune.objects.get(name="Ivry-sur-Seine")))
    client.force_login(member)
    association = member.memberships.get().association
    client.post(
        reverse("submissions:project_create"), {"title": "X", "association": association.pk}
    )
    return Project.objects.get()


def _stored_files() -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_normal_docx_is_accepted(client, draft):
    content = _docx({"word/document.xml": b"<w:document>Bonjour</w:document>" * 50})

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("lettre.docx", content)},
    )

    assert response.status_code == 302
    assert draft.attachments.get().original_name == "lettre.docx"


def test_a_docx_inflating_past_fifty_megabytes_is_refused_and_nothing_is_stored(client, draft):
    bomb = _docx({"word/document.xml": bytes(60 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    files_before = _stored_files()

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("lettre.docx", bomb)},
    )

    assert response.status_code == 400
    assert (
        "Ce fichier Word est une archive anormale : une fois décompressé, il ferait 60 Mo "
        "(50 Mo au plus) ; enregistrez-le à nouveau ou envoyez un PDF."
    ) in page(response)
    assert draft.attachments.count() == 0
    assert _stored_files() == files_before


def test_an_xlsx_compressed_more_than_a_hundred_times_is_refused(client, draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("xl/workbook.xml", bytes(5 * 1024 * 1024))

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "budget", "file": _upload("budget.xlsx", buffer.getvalue())},
    )

    text = page(response)
    assert response.status_code == 400
    assert "Ce fichier Excel est une archive anormale : une fois décompressé, il serait" in text
    assert "fois plus gros (100 fois au plus) ; enregistrez-le à nouveau ou envoyez un PDF." in text
    assert draft.attachments.count() == 0


def test_a_docx_with_a_zip64_record_is_refused(client, draft):
    forged = _with_zip64_end_record(_docx({"word/document.xml": b"<w:document/>"}))
    with zipfile.ZipFile(io.BytesIO(forged)) as readable:  # still a valid archive
        assert "word/document.xml" in readable.namelist()
    files_before = _stored_files()

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("lettre.docx", forged)},
    )

    assert response.status_code == 400
    assert (
        "Ce fichier Word est une archive anormale : il utilise le format ZIP64, réservé aux "
        "fichiers de plusieurs gigaoctets ; enregistrez-le à nouveau ou envoyez un PDF."
    ) in page(response)
    assert draft.attachments.count() == 0
    assert _stored_files() == files_before


def test_a_member_with_a_zip64_extra_field_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        info = zipfile.ZipInfo("word/document.xml")
        # A zip64 extra field (id 1) in the central directory, sizes forged inside.
        info.extra = struct.pack("<HHQQ", 1, 16, 2**31, 2**31)
        zf.writestr(info, b"<w:document/>")

    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("lettre.docx", buffer.getvalue()))

    assert refused.value.messages == [
        "Ce fichier Word est une archive anormale : il utilise le format ZIP64, réservé aux "
        "fichiers de plusieurs gigaoctets ; enregistrez-le à nouveau ou envoyez un PDF."
    ]


def test_an_odt_with_too_many_members_is_refused(client, draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for index in range(1001):
            zf.writestr(f"Pictures/{index}.xml", b"x")

    response = client.post(
        reverse("submissions:attachments", args=[draft.pk]),
        {"kind": "autre", "file": _upload("projet.odt", buffer.getvalue())},
    )

    assert response.status_code == 400
    assert (
        "Ce fichier OpenDocument texte (ODT) est une archive anormale : il contient 1002 "
        "fichiers internes (1000 au plus) ; enregistrez-le à nouveau ou envoyez un PDF."
    ) in page(response)
    assert draft.attachments.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + bytes(32), "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "jpeg"),
        ("a.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(32), "webp"),
        ("a.txt", b"Bonjour, ceci est du texte.", None),
    ],
)
def test_the_kind_comes_from_the_content(name, content, kind):
    assert detect_kind(_upload(name, content)) == kind


def test_a_docx_whose_word_folder_comes_late_in_the_archive_is_still_a_docx():
    # Some programs write many entries before word/: the archive's listing decides.
    members = {f"customXml/item{index}.xml": b"<x/>" * 400 for index in range(6)}
    members["word/document.xml"] = b"<w:document/>"
    content = _docx(members)

    assert detect_kind(_upload("lettre.docx", content)) == "docx"
    assert validate_upload(_upload("lettre.docx", content)) == (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_an_odt_renamed_docx_is_refused_for_its_content():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", b"<office:document-content/>")

    assert detect_kind(_upload("projet.odt", buffer.getvalue())) == "odt"
    with pytest.raises(ValidationError) as refused:
        validate_upload(_upload("projet.docx", buffer.getvalue()))

    assert refused.value.messages == [
        "Le contenu de « projet.docx » ne correspond pas à un fichier DOCX. "
        "Enregistrez-le à nouveau depuis votre logiciel, ou envoyez-le en PDF."
    ]
