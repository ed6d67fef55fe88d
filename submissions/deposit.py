"""The deposited dossier's PDF and the receipt mailed to the association."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.selectors import member_emails
from core.links import absolute_url
from core.mail import send_mail_now
from core.pdf import render_pdf
from submissions.models import DepositSnapshot

logger = logging.getLogger(__name__)


def deposit_pdf_bytes(snapshot: DepositSnapshot) -> bytes:
    return render_pdf("submissions/pdf/dossier.html", {"snapshot": snapshot, "data": snapshot.data})


def deposit_pdf_ensure(snapshot: DepositSnapshot) -> DepositSnapshot:
    """Build and keep the PDF if it is not there yet; return the snapshot."""
    if snapshot.pdf:
        return snapshot
    content = deposit_pdf_bytes(snapshot)
    with transaction.atomic():
        locked = DepositSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        if not locked.pdf:
            locked.pdf.save(f"{locked.project_id}.pdf", ContentFile(content), save=False)
            locked.pdf_generated_at = timezone.now()
            locked.save(update_fields=["pdf", "pdf_generated_at"])
    return locked


def deposit_receipt_send(*, snapshot_id: int) -> None:
    """Mail the receipt to the members, with the PDF when it could be built."""
    snapshot = DepositSnapshot.objects.select_related("project__association", "edition").get(
        pk=snapshot_id
    )
    attachments = []
    try:
        snapshot = deposit_pdf_ensure(snapshot)
        with snapshot.pdf.open("rb") as handle:
            attachments.append(
                (f"dossier-{snapshot.project_id}.pdf", handle.read(), "application/pdf")
            )
    except Exception:
        logger.exception("Deposit PDF of snapshot %s could not be built", snapshot_id)
    project = snapshot.project
    members = member_emails(project.association)
    if members:
        send_mail_now(
            template="submissions/email/deposit_receipt",
            to=members,
            context={
                "project": project,
                "snapshot": snapshot,
                "has_pdf": bool(attachments),
                "project_url": absolute_url(project),
            },
            attachments=attachments,
        )
