"""Writes about the files of a dossier."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.once import already_created
from submissions.models import Attachment, Project
from submissions.services.projects import _lock_editable, _record_save
from submissions.uploads import checked_upload


@transaction.atomic
def attachment_add(
    *, project: Project, actor: User, upload, kind: str, submission_key=None
) -> Attachment:
    """Store a checked file under a generated name, outside the public media."""
    if existing := already_created(Attachment, submission_key):
        return existing
    locked = _lock_editable(project, actor, project.version)
    if locked.attachments.count() >= settings.ATTACHMENT_MAX_PER_PROJECT:
        raise ValidationError(
            f"Un dossier compte {settings.ATTACHMENT_MAX_PER_PROJECT} pièces jointes au plus : supprimez-en une d'abord.",
            code="too_many",
        )
    attachment = Attachment(
        project=locked,
        kind=kind,
        **checked_upload(upload),
        uploaded_by=actor,
        submission_key=submission_key,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    # The file belongs to the dossier: the version moves as for any change.
    _record_save(locked, actor, "pieces", [])
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    project = attachment.project
    locked = _lock_editable(project, actor, project.version)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    _record_save(locked, actor, "pieces", [])
