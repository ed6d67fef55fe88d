"""The label certificate (« Attestation de labellisation ») and its public verification.

The PDF and the verification page read the same facts (``certificate_facts``):
the page confirms what the paper says, nothing more.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.codes import CODE_ALPHABET
from core.links import absolute_url
from core.pdf import render_pdf
from laureates.models import Laureate

CODE_LENGTH = 12
_NOT_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(typed: str) -> str | None:
    """Return the code as printed (« 7KQ4-M2XP-9DTA ») from what a person typed, or None.

    Case, spaces, dashes and dots do not matter; a code of the wrong length, or
    with a character the codes never use, is no code.
    """
    raw = _NOT_CODE.sub("", (typed or "").upper())
    if len(raw) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class CertificateFacts:
    association: str
    title: str
    year: int
    amount: Decimal | None
    awarded_on: date | None
    code: str
    verification_url: str
    signatory_name: str
    signatory_title: str


def awarded_on(laureate: Laureate) -> date | None:
    """The day the label was won: the results' publication, else the announced date.

    None for an archive edition that knows neither: the certificate then names the year only.
    """
    edition = laureate.edition
    if edition.results_published_at:
        return timezone.localdate(edition.results_published_at)
    return edition.results_on


def certificate_facts(laureate: Laureate) -> CertificateFacts:
    return CertificateFacts(
        association=laureate.association_name,
        title=laureate.title,
        year=laureate.year,
        amount=laureate.amount_granted,
        awarded_on=awarded_on(laureate),
        code=laureate.certificate_code,
        verification_url=absolute_url(
            reverse("laureates:verify", args=[laureate.certificate_code])
        ),
        signatory_name=settings.LABEL_SIGNATORY_NAME,
        signatory_title=settings.LABEL_SIGNATORY_TITLE,
    )


def certificate_filename(laureate: Laureate) -> str:
    return f"attestation-label-{laureate.year}-{laureate.slug}.pdf"


def certificate_pdf(laureate: Laureate) -> bytes:
    """The certificate as PDF (one A4 page), with the code and the address that verify it."""
    return render_pdf(
        "laureates/certificate_pdf.html",
        {"facts": certificate_facts(laureate), "issued_on": timezone.localdate()},
    )
