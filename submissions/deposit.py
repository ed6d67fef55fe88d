"""The deposited dossier's PDF and the receipt mailed to the association."""

import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.selectors import association_members
from core.links import absolute_url
from core.pdf import render_pdf
from notifications.services import notify
from submissions.models import DepositSnapshot, Project

logger = logging.getLogger(__name__)


def content_hash(data: dict) -> str:
    """Return the SHA-256 of the frozen dossier, over its canonical JSON (sorted keys, UTF-8)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()


def snapshot_data(project: Project) -> dict:
    """Every field of the dossier as plain data, for the frozen copy."""
    association = project.association
    return {
        "association": {
            "name": association.name,
            "kind": str(association.get_kind_display()),
            "rna": association.rna,
            "siret": association.siret,
            "address": association.address,
            "postcode": association.postcode,
            "commune": association.commune.name,
        },
        "title": project.title,
        "summary": project.summary,
        "commune": project.commune.name if project.commune else "",
        "qpvs": [f"{qpv.name} ({qpv.code})" for qpv in project.qpvs.order_by("name")],
        "themes": [str(label) for label in project.theme_labels],
        "need": project.need,
        "innovation": project.innovation,
        "involvement": project.involvement,
        "target_public": project.target_public,
        "expected_people": project.expected_people,
        "partners": project.partners,
        "calendar": project.calendar,
        "amount_requested": str(project.amount_requested or ""),
        "budget": [
            {
                "side": line.side,
                "account": line.account,
                "funder": str(line.get_funder_display()) if line.funder else "",
                "label": line.label,
                "amount": str(line.amount),
            }
            for line in project.budget_lines.all()
        ],
        "attachments": [
            {
                "kind": str(item.get_kind_display()),
                "name": item.original_name,
                "size": item.size,
                "sha256": item.sha256,
                "file": item.file.name,
            }
            for item in project.attachments.all()
        ],
    }


def deposit_pdf_bytes(snapshot: DepositSnapshot) -> bytes:
    return render_pdf(
        "submissions/pdf/dossier.html",
        {"snapshot": snapshot, "data": snapshot.data},
    )


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
    notify(
        kind="deposit_receipt",
        users=association_members(project.association),
        title=f"Accusé de dépôt : {project.title}",
        link=project.get_absolute_url(),
        mail_template="submissions/email/deposit_receipt",
        context={
            "project": project,
            "snapshot": snapshot,
            "has_pdf": bool(attachments),
            "project_url": absolute_url(project),
        },
        attachments=attachments,
    )
