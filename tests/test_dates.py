"""Dates are written the French way on pages, in mails and in PDFs."""

import datetime
import io
import re
from pathlib import Path

import pypdf
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.mail import render_mail
from jury import documents
from submissions.models import Project
from tests.test_permission_matrix import world  # noqa: F401  (the matrix's test world)
from tests.utils import page

FEBRUARY_12 = timezone.make_aware(datetime.datetime(2026, 2, 12, 9, 30))


def test_the_inbox_abbreviates_months_the_french_way(client, world):  # noqa: F811
    Project.objects.filter(pk=world["project_a"].pk).update(updated_at=FEBRUARY_12)
    client.force_login(world["users"]["officer_t1"])

    text = page(client.get(reverse("submissions:inbox")))

    assert "12 fév. 2026" in text
    assert "12 Fév 2026" not in text


def test_a_mail_written_outside_a_request_is_in_french(world):  # noqa: F811
    session = world["jury_session"]
    session.starts_at = FEBRUARY_12
    context = {"session": session, "user": world["users"]["juror"], "session_url": "/"}

    # A worker or a management command may run with no language at all.
    with translation.override(None):
        mail = render_mail("jury/email/juror_seated", context)
    subject, body = mail.subject, mail.text

    assert subject == "Vous êtes membre du jury : Séance de test, le 12 février 2026"
    assert "Date : jeudi 12 février 2026 à 09:30 (heure de Paris)" in body


def test_the_minutes_pdf_written_outside_a_request_is_in_french(world):  # noqa: F811
    session = world["jury_session"]
    session.starts_at = FEBRUARY_12

    with translation.override(None):
        pdf = documents.minutes_pdf(session)

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "le jeudi 12 février 2026 à 09:30" in " ".join(text.split())


def test_no_template_writes_a_month_the_english_way():
    # "M" gives « Nov », "b" gives « nov » (no dot): French writes « nov. » ("N").
    formats = re.compile(r"""\|date:["']([^"']*)["']""")
    wrong = [
        f"{path.relative_to(settings.BASE_DIR)}: {found}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*")
        if path.suffix in {".html", ".txt"}
        for found in formats.findall(path.read_text())
        if re.search(r"(?<!\\)[Mb]", found)
    ]
    assert wrong == []
