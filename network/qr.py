"""The QR code of a registration: what the coordination scans at the door.

It holds the absolute address of the person's check-in page
(``network:checkin_code``): a phone's camera app opens it, the coordinator
signed in notes the presence. The check-in code printed beside it is the same
key, typed when a camera fails. Drawn by segno (pure Python): SVG for the
page, PNG for the mail (mail clients show no SVG).
"""

import io

import segno
from django.urls import reverse

from core.links import absolute_url
from network.models import Registration


def checkin_url(registration: Registration) -> str:
    return absolute_url(
        reverse(
            "network:checkin_code",
            kwargs={"pk": registration.meeting_id, "code": registration.checkin_code},
        )
    )


def _code(registration: Registration) -> segno.QRCode:
    # Level M: readable from a phone screen with a crack or a glare.
    return segno.make_qr(checkin_url(registration), error="m")


def qr_svg(registration: Registration) -> str:
    """The QR code as an SVG document, titled for screen readers."""
    buffer = io.BytesIO()
    _code(registration).save(
        buffer,
        kind="svg",
        scale=6,
        border=4,
        title=f"Code QR d'émargement {registration.checkin_code}",
        svgclass=None,
        lineclass=None,
    )
    return buffer.getvalue().decode()


def qr_png(registration: Registration) -> bytes:
    """The QR code as a PNG image, attached to the mails."""
    buffer = io.BytesIO()
    _code(registration).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
