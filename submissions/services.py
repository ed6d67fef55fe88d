"""Writes about projects: creation, sections, transitions, coaching, messages."""

import hashlib
import json
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.rules import is_coordinator
from accounts.selectors import member_emails
from core import ratelimit
from core.formats import euros
from core.links import absolute_url
from core.mail import send_mail_on_commit
from core.once import already_created, save_once
from core.permissions import allowed
from core.ratelimit import Limit, LimitReached
from core.stale import StaleWrite
from submissions.enums import (
    CHARGE_ACCOUNTS,
    EDITABLE_STATES,
    PUBLICATION_TRANSITIONS,
    TRANSITIONS,
    BudgetSide,
    EditionState,
    ProjectState,
)
from submissions.models import (
    Attachment,
    BudgetLine,
    CoachingEntry,
    DepositSnapshot,
    Edition,
    Message,
    Project,
    ProjectChange,
    ProjectEvent,
    ThreadRead,
)
from submissions.rules import actor_roles, is_project_member
from submissions.sections import (
    SECTIONS_BY_SLUG,
    budget_totals,
    missing_for_proposal,
    missing_mandatory_sections,
)
from submissions.tasks import deposit_receipt_task
from submissions.uploads import validate_upload


class TransitionRefused(ValidationError):
    """A move the transition table, the calendar or the dossier does not allow."""


def _member_emails(project: Project) -> list[str]:
    return member_emails(project.association)


def _coach_emails(project: Project) -> list[str]:
    """The chefs de projet of the project's territory, or the coordinators."""
    if project.city_contract_id:
        people = User.objects.filter(officer_contract_id=project.city_contract_id, is_active=True)
    else:
        people = User.objects.filter(is_coordinator=True, is_active=True)
    return list(people.order_by("email").values_list("email", flat=True))


@transaction.atomic
def project_create(*, association, actor: User, title: str, submission_key=None) -> Project:
    """Start a draft; the same form sent twice creates one project."""
    if not association.memberships.filter(user=actor).exists():
        raise ValidationError(_("Vous n'êtes pas membre de cette association."))
    if existing := already_created(Project, submission_key):
        return existing
    project = Project(
        association=association,
        title=title,
        commune=association.commune,
        created_by=actor,
        updated_by=actor,
        submission_key=submission_key,
    )
    project.full_clean()
    project, created = save_once(project)
    if not created:
        return project
    # The association's own quartiers, those of the commune the project starts in.
    project.qpvs.set(association.qpvs.filter(communes=association.commune))
    ProjectChange.objects.create(project=project, author=actor, section="creation")
    return project


def _lock_editable(project: Project, actor: User, version: int) -> Project:
    locked = Project.objects.select_for_update().select_related("association").get(pk=project.pk)
    if not is_project_member(actor, locked):
        raise ValidationError(_("Vous ne pouvez pas modifier ce projet."))
    if locked.state not in EDITABLE_STATES:
        raise ValidationError(
            _("Ce projet est « %(state)s » : son dossier ne peut plus être modifié.")
            % {"state": locked.get_state_display()}
        )
    if locked.version != version:
        raise StaleWrite(
            _(
                "Le dossier a été modifié par quelqu'un d'autre pendant que vous écriviez. "
                "Vos saisies sont conservées : comparez-les avec la version enregistrée, "
                "puis choisissez."
            ),
            code="stale",
        )
    return locked


def _record_save(project: Project, actor: User, section: str, fields: list[str]) -> None:
    """Bump the version, attribute the change; a ready dossier goes back to coaching."""
    project.version += 1
    project.updated_by = actor
    fields = [*fields, "version", "updated_by", "updated_at"]
    if project.state == ProjectState.READY:
        project.state = ProjectState.COACHING
        fields.append("state")
        ProjectEvent.objects.create(
            project=project,
            actor=actor,
            transition="send_back",
            from_state=ProjectState.READY,
            to_state=ProjectState.COACHING,
            comment=_("Dossier modifié par l'association après avoir été marqué prêt."),
        )
    project.save(update_fields=fields)
    ProjectChange.objects.create(project=project, author=actor, section=section)


def _check_qpvs_in_commune(commune, qpvs) -> None:
    """A project's quartiers are those of its commune: it is routed by that commune."""
    if not qpvs:
        return
    if commune is None:
        raise ValidationError(
            {"qpvs": _("Choisissez d'abord la commune du projet, puis ses quartiers.")}
        )
    inside = set(commune.qpvs.values_list("pk", flat=True))
    outside = [qpv.name for qpv in qpvs if qpv.pk not in inside]
    if outside:
        raise ValidationError(
            {
                "qpvs": ngettext(
                    "Le quartier « %(names)s » n'est pas dans la commune choisie, %(commune)s. "
                    "Cochez seulement des quartiers de cette commune.",
                    "Les quartiers « %(names)s » ne sont pas dans la commune choisie, "
                    "%(commune)s. Cochez seulement des quartiers de cette commune.",
                    len(outside),
                )
                % {"names": " », « ".join(sorted(outside)), "commune": commune.name}
            },
            code="qpv_outside_commune",
        )


@transaction.atomic
def project_section_save(
    *, project: Project, actor: User, section: str, data: dict, version: int
) -> Project:
    """Save one section of the dossier, refusing a save based on an old version."""
    if section == "budget":
        raise ValueError("The budget is saved by project_budget_save.")
    locked = _lock_editable(project, actor, version)
    fields = [name for name in SECTIONS_BY_SLUG[section].fields if name != "qpvs"]
    for name in fields:
        setattr(locked, name, data[name])
    locked.full_clean(
        exclude=["association", "city_contract", "edition", "created_by", "updated_by"]
    )
    if "qpvs" in SECTIONS_BY_SLUG[section].fields:
        _check_qpvs_in_commune(locked.commune, data["qpvs"])
        locked.qpvs.set(data["qpvs"])
    rerouted = False
    if "commune" in fields and locked.state != ProjectState.DRAFT:
        # A proposed project follows its commune to the right chef de projet.
        contract = locked.commune.city_contract if locked.commune else None
        rerouted = contract != locked.city_contract
        locked.city_contract = contract
        fields.append("city_contract")
    _record_save(locked, actor, section, fields)
    if rerouted and (recipients := _coach_emails(locked)):
        send_mail_on_commit(
            template="submissions/email/assigned",
            to=recipients,
            # No request here: the link uses the portal's configured address.
            context={"project": locked, "project_url": absolute_url(locked)},
        )
    return locked


@transaction.atomic
def project_budget_save(
    *, project: Project, actor: User, lines: list[dict], amount_requested, version: int
) -> Project:
    """Replace the budget lines and the amount requested."""
    locked = _lock_editable(project, actor, version)
    new_lines = [
        BudgetLine(
            project=locked,
            position=index,
            side=BudgetSide.CHARGE if line["account"] in CHARGE_ACCOUNTS else BudgetSide.INCOME,
            account=line["account"],
            funder=line.get("funder", ""),
            label=line["label"],
            amount=line["amount"],
        )
        for index, line in enumerate(lines)
    ]
    for line in new_lines:
        line.full_clean(exclude=["project"])
    totals = budget_totals(new_lines)
    if amount_requested is not None and amount_requested < 0:
        raise ValidationError({"amount_requested": _("Le montant demandé ne peut être négatif.")})
    if amount_requested and amount_requested > totals["charges"]:
        raise ValidationError(
            {
                "amount_requested": _(
                    "Le montant demandé (%(asked)s) dépasse le total des charges (%(total)s)."
                )
                % {"asked": euros(amount_requested), "total": euros(totals["charges"])}
            }
        )
    locked.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(new_lines)
    locked.amount_requested = amount_requested
    _record_save(locked, actor, "budget", ["amount_requested"])
    return locked


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
            _("Un dossier compte %(max)s pièces jointes au plus : supprimez-en une d'abord.")
            % {"max": settings.ATTACHMENT_MAX_PER_PROJECT},
            code="too_many",
        )
    _extension, mime = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(
        project=locked,
        kind=kind,
        original_name=os.path.basename(upload.name)[:200],
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        submission_key=submission_key,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    # The file belongs to the dossier: the version moves as for any change.
    _record_save(locked, actor, "pieces", [])
    return attachment


def project_delete_check(*, project: Project, actor: User) -> None:
    """Raise ValidationError, saying why, when this project may not be deleted by this person."""
    if not allowed(actor, "submissions.delete_project", project):
        raise ValidationError(_("Vous ne pouvez pas supprimer ce projet."))
    if project.state != ProjectState.DRAFT:
        raise ValidationError(_("Seul un brouillon se supprime ; un projet proposé se retire."))


@transaction.atomic
def project_delete(*, project: Project, actor: User) -> None:
    """Delete a draft and its files: only its association ever saw it."""
    locked = Project.objects.select_for_update().select_related("association").get(pk=project.pk)
    project_delete_check(project=locked, actor=actor)
    files = [(item.file.storage, item.file.name) for item in locked.attachments.all()]
    locked.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    project = attachment.project
    locked = _lock_editable(project, actor, project.version)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _record_save(locked, actor, "pieces", [])


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


def _incomplete_sections(project: Project) -> str:
    return ", ".join(str(row["section"].title) for row in missing_mandatory_sections(project))


def _before_propose(project: Project, actor: User, comment: str) -> list[str]:
    # Proposing opens the coaching: the chef de projet and the association
    # write the rest of the dossier together afterwards (DESIGN.md).
    if missing := missing_for_proposal(project):
        raise TransitionRefused(
            _("Pour proposer le projet, indiquez d'abord : %(items)s.")
            % {"items": ", ".join(str(item) for item in missing)}
        )
    project.city_contract = project.commune.city_contract
    project.proposed_at = timezone.now()
    return ["city_contract", "proposed_at"]


def _before_mark_ready(project: Project, actor: User, comment: str) -> list[str]:
    if incomplete := _incomplete_sections(project):
        raise TransitionRefused(
            _(
                "Le dossier n'est pas encore complet : %(sections)s. L'association doit "
                "d'abord compléter ces parties (budget équilibré compris)."
            )
            % {"sections": incomplete}
        )
    return []


def _before_deposit(project: Project, actor: User, comment: str) -> list[str]:
    if incomplete := _incomplete_sections(project):
        raise TransitionRefused(
            _("Le dossier est incomplet : %(sections)s.") % {"sections": incomplete}
        )
    edition = Edition.objects.select_for_update().filter(state=EditionState.OPEN).first()
    now = timezone.now()
    if edition is None:
        raise TransitionRefused(_("Aucune édition n'est ouverte au dépôt en ce moment."))
    if timezone.localdate(now) < edition.opens_on:
        raise TransitionRefused(
            _("Les dépôts de l'édition %(year)s ouvrent le %(day)s.")
            % {"year": edition.year, "day": date_format(edition.opens_on, "j F Y")}
        )
    if now > edition.deposit_deadline:
        raise TransitionRefused(
            _("La date limite de dépôt de l'édition %(year)s est passée.") % {"year": edition.year}
        )
    project.edition = edition
    project.deposited_at = now
    data = snapshot_data(project)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    snapshot = DepositSnapshot.objects.create(
        project=project,
        edition=edition,
        data=data,
        content_hash=hashlib.sha256(canonical).hexdigest(),
        deposited_by=actor,
        deposited_at=now,
    )
    # The receipt PDF is built once the deposit is safely committed: a failure
    # there never undoes the deposit (the PDF is built again on demand).
    transaction.on_commit(lambda: deposit_receipt_task.enqueue(snapshot.pk))
    return ["edition", "deposited_at"]


def _before_ineligible(project: Project, actor: User, comment: str) -> list[str]:
    # The reason stays on the project, for the association and the minutes.
    project.review_comment = comment
    return ["review_comment"]


_BEFORE = {
    "propose": _before_propose,
    "mark_ready": _before_mark_ready,
    "deposit": _before_deposit,
    "declare_ineligible": _before_ineligible,
}

# Who hears of each move: the association, the coaches, or both.
_RECIPIENTS = {
    "propose": ("coaches",),
    "take_into_coaching": ("members",),
    "mark_ready": ("members",),
    "send_back": ("members", "coaches"),
    "deposit": ("coaches",),
    "withdraw": ("coaches",),
    "declare_eligible": ("members",),
    "award": ("members", "coaches"),
    "not_select": ("members", "coaches"),
    "declare_ineligible": ("members",),
    "shortlist": ("members",),
}


def transition_check(
    *, project: Project, actor: User, name: str, publication: bool = False
) -> None:
    """Raise TransitionRefused, saying why, when the table does not allow this move now.

    Also used before showing the confirmation page of a final move, so that
    nobody is asked to confirm what would be refused.
    """
    transition = TRANSITIONS[name]
    if name in PUBLICATION_TRANSITIONS and not publication:
        raise TransitionRefused(
            _("Ce résultat est appliqué par la publication des résultats du jury."),
            code="publication",
        )
    if project.state not in transition.sources:
        raise TransitionRefused(
            _("Impossible : le projet est « %(state)s ».") % {"state": project.get_state_display()},
            code="state",
        )
    if not actor_roles(actor, project) & transition.actors:
        raise TransitionRefused(_("Vous ne pouvez pas faire cette action."), code="actor")


@transaction.atomic
def project_transition(
    *,
    project: Project,
    actor: User,
    name: str,
    comment: str = "",
    publication: bool = False,
) -> Project:
    """Move a project along the transition table, record it and tell those concerned.

    The jury's outcome (award, not_select) only moves through the publication
    of the results, which passes ``publication=True``.
    """
    transition = TRANSITIONS[name]
    locked = (
        Project.objects.select_for_update(of=("self",))
        .select_related("association", "commune__city_contract")
        .get(pk=project.pk)
    )
    transition_check(project=locked, actor=actor, name=name, publication=publication)
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise TransitionRefused({"comment": _("Indiquez le motif.")}, code="comment")
    extra = _BEFORE[name](locked, actor, comment) if name in _BEFORE else []
    from_state = locked.state
    locked.state = transition.target
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at", *extra])
    ProjectEvent.objects.create(
        project=locked,
        actor=actor,
        transition=name,
        from_state=from_state,
        to_state=locked.state,
        comment=comment,
    )
    recipients = []
    if "members" in _RECIPIENTS[name]:
        recipients += _member_emails(locked)
    if "coaches" in _RECIPIENTS[name]:
        recipients += _coach_emails(locked)
    recipients = sorted(set(recipients) - {actor.email})
    if recipients:
        send_mail_on_commit(
            template="submissions/email/transition",
            to=recipients,
            context={
                "project": locked,
                "transition": transition,
                "actor": actor,
                "comment": comment,
                "project_url": absolute_url(locked),
            },
        )
    return locked


@transaction.atomic
def project_assign(*, project: Project, actor: User, city_contract) -> Project:
    """Route a project of the coordinators' queue to a contrat de ville."""
    if not is_coordinator(actor):
        raise ValidationError(_("Seule la coordination attribue les projets."))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.city_contract_id is not None or locked.state in {
        ProjectState.DRAFT,
        ProjectState.WITHDRAWN,
    }:
        raise ValidationError(_("Ce projet n'est pas dans la file à attribuer."))
    locked.city_contract = city_contract
    locked.save(update_fields=["city_contract", "updated_at"])
    ProjectEvent.objects.create(
        project=locked,
        actor=actor,
        transition="assign",
        from_state=locked.state,
        to_state=locked.state,
        comment=_("Attribué au contrat de ville %(name)s.") % {"name": city_contract.short_name},
    )
    recipients = _coach_emails(locked)
    if recipients:
        send_mail_on_commit(
            template="submissions/email/assigned",
            to=recipients,
            context={"project": locked, "project_url": absolute_url(locked)},
        )
    return locked


@transaction.atomic
def checklist_save(*, project: Project, actor: User, checks: dict[str, bool]) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not allowed(actor, "submissions.coach_project", locked):
        raise ValidationError(_("Seul le chef de projet tient la liste de vérification."))
    for name, value in checks.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*checks, "updated_at"])
    return locked


@transaction.atomic
def coaching_entry_add(
    *, project: Project, actor: User, submission_key=None, **fields
) -> CoachingEntry:
    if not allowed(actor, "submissions.coach_project", project):
        raise ValidationError(_("Seul le chef de projet écrit dans le suivi."))
    if existing := already_created(CoachingEntry, submission_key):
        return existing
    entry = CoachingEntry(project=project, author=actor, submission_key=submission_key, **fields)
    entry.full_clean()
    entry, created = save_once(entry)
    if not created:
        return entry
    if entry.visibility == "shared":
        send_mail_on_commit(
            template="submissions/email/coaching_shared",
            to=_member_emails(project),
            context={
                "project": project,
                "entry": entry,
                "project_url": absolute_url(project),
            },
        )
    return entry


@transaction.atomic
def message_post(*, project: Project, actor: User, body: str, submission_key=None) -> Message:
    if not allowed(actor, "submissions.write_message", project):
        raise ValidationError(_("Vous ne participez pas à ce projet."))
    if project.state == ProjectState.DRAFT:
        raise ValidationError(
            _("Proposez d'abord le projet : vous pourrez alors écrire à votre chef de projet.")
        )
    if existing := already_created(Message, submission_key):
        return existing
    try:
        ratelimit.count(Limit("message_author", actor.pk))
    except LimitReached as reached:
        raise ValidationError(
            _(
                "Vous avez envoyé beaucoup de messages en peu de temps. Par sécurité, "
                "attendez %(delay)s avant d'envoyer celui-ci : il est gardé ci-dessous."
            )
            % {"delay": reached.retry_text},
            code="rate_limited",
        ) from None
    message = Message(
        project=project, author=actor, body=body.strip(), submission_key=submission_key
    )
    message.full_clean()
    message, created = save_once(message)
    if not created:
        return message
    thread_mark_read(project=project, user=actor)
    recipients = (
        _coach_emails(project) if is_project_member(actor, project) else _member_emails(project)
    )
    recipients = sorted(set(recipients) - {actor.email})
    if recipients:
        send_mail_on_commit(
            template="submissions/email/message",
            to=recipients,
            context={
                "project": project,
                "message": message,
                "project_url": absolute_url(project) + "#messages",
            },
        )
    return message


def thread_mark_read(*, project: Project, user: User) -> None:
    ThreadRead.objects.update_or_create(
        project=project, user=user, defaults={"read_at": timezone.now()}
    )


__all__ = [
    "ProjectState",
    "TransitionRefused",
    "checklist_save",
    "coaching_entry_add",
    "message_post",
    "project_assign",
    "project_budget_save",
    "project_create",
    "project_delete",
    "project_delete_check",
    "project_section_save",
    "project_transition",
    "thread_mark_read",
    "transition_check",
]


@transaction.atomic
def edition_save(*, edition: Edition, actor: User) -> Edition:
    """Create or change an edition; at most one is open for deposit."""
    if not allowed(actor, "submissions.manage_editions"):
        raise ValidationError(_("Seule la coordination gère les éditions."))
    if (
        edition.jury_starts_on
        and edition.jury_ends_on
        and edition.jury_ends_on < edition.jury_starts_on
    ):
        raise ValidationError({"jury_ends_on": _("La fin du jury précède son début.")})
    if edition.deposit_deadline and edition.deposit_deadline.date() < edition.opens_on:
        raise ValidationError(
            {"deposit_deadline": _("La date limite de dépôt précède l'ouverture.")}
        )
    edition.full_clean()
    edition.save()
    return edition
