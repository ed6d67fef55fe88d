"""The check-in at the door, the attendance sheet and the attendance certificate.

The check-in notes a presence through the REGISTRATION workflow (« attend »,
« unattend »): a second click, or a second coordinator scanning the same QR
code, finds the person already present and changes nothing.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.codes import CODE_ALPHABET
from core.pdf import render_pdf
from core.workflow import transition
from network import selectors
from network.enums import RegistrationState
from network.models import Meeting, Registration
from network.workflows import REGISTRATION

CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_checkin_code(typed: str) -> str | None:
    """Return the check-in code as printed (« 7KQ4-M2XP ») from what was typed, or None.

    Case, spaces and dashes do not matter; anything else than 8 characters of
    the codes' alphabet is no code (it may be a name to search).
    """
    raw = _NOT_CODE.sub("", (typed or "").upper())
    if len(raw) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def check_in(*, registration: Registration, actor) -> tuple[Registration, bool]:
    """Note the person present; return the registration and False when they already were."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.state == RegistrationState.ATTENDED:
        return locked, False
    return transition(REGISTRATION, locked, "attend", actor=actor), True


@transaction.atomic
def undo_check_in(*, registration: Registration, actor) -> tuple[Registration, bool]:
    """Take back a presence noted by mistake; False when the person was not marked present."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.state != RegistrationState.ATTENDED:
        return locked, False
    return transition(REGISTRATION, locked, "unattend", actor=actor), True


def attendance_sheet_pdf(*, meeting: Meeting) -> bytes:
    """The feuille d'émargement: one row per person with a seat, by last then first name."""
    registrations = selectors.seated_registrations(meeting.registrations.all())
    return render_pdf(
        "network/attendance/sheet_pdf.html",
        {"meeting": meeting, "registrations": registrations, "printed_at": timezone.now()},
    )


def attendance_sheet_filename(meeting: Meeting) -> str:
    return f"feuille-emargement-{meeting.slug}.pdf"


def certificate_pdf(*, registration: Registration) -> bytes:
    """The attestation de présence of a person who attended."""
    if registration.state != RegistrationState.ATTENDED:
        raise ValueError("Only a person who attended gets a certificate")
    return render_pdf(
        "network/attendance/certificate_pdf.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "issued_on": timezone.localdate(),
            "signatory_name": settings.LABEL_SIGNATORY_NAME,
            "signatory_title": settings.LABEL_SIGNATORY_TITLE,
        },
    )


def certificate_filename(registration: Registration) -> str:
    return f"attestation-presence-{registration.meeting.slug}.pdf"
