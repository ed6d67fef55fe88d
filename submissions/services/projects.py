"""Writes about a project's dossier: creation, sections, budget, deletion of a draft."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from core.formats import euros
from core.once import already_created, save_once
from core.permissions import allowed
from core.stale import StaleWrite
from core.text import plural
from core.workflow import record, transition
from submissions.enums import CHARGE_ACCOUNTS, BudgetSide, ProjectState
from submissions.models import BudgetLine, Project, ProjectChange
from submissions.rules import is_project_member
from submissions.sections import SECTIONS_BY_SLUG, budget_totals
from submissions.workflows import EDITABLE_STATES, PROJECT, tell_assigned


@transaction.atomic
def project_create(*, association, actor: User, title: str, submission_key=None) -> Project:
    """Start a draft; the same form sent twice creates one project."""
    if not association.memberships.filter(user=actor).exists():
        raise ValidationError("Vous n'êtes pas membre de cette association.")
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
        raise ValidationError("Vous ne pouvez pas modifier ce projet.")
    if locked.state not in EDITABLE_STATES:
        raise ValidationError(
            f"Ce projet est « {locked.get_state_display()} » : son dossier ne peut plus être modifié."
        )
    if locked.version != version:
        raise StaleWrite(
            (
                "Le dossier a été modifié par quelqu'un d'autre pendant que vous écriviez. "
                "Vos saisies sont conservées : comparez-les avec la version enregistrée, "
                "puis choisissez."
            ),
            code="stale",
        )
    return locked


def _record_save(project: Project, actor: User, section: str, fields: list[str]) -> Project:
    """Bump the version, attribute the change; a ready dossier goes back to coaching."""
    project.version += 1
    project.updated_by = actor
    project.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    ProjectChange.objects.create(project=project, author=actor, section=section)
    if project.state == ProjectState.READY:
        transition(
            PROJECT,
            project,
            "edited_when_ready",
            actor=actor,
            reason="Dossier modifié par l'association après avoir été marqué prêt.",
            internal=True,
        )
        project.refresh_from_db(fields=["state"])
    return project


def check_qpvs_in_commune(commune, qpvs) -> None:
    """A project's quartiers are those of its commune: it is routed by that commune."""
    if not qpvs:
        return
    if commune is None:
        raise ValidationError(
            {"qpvs": "Choisissez d'abord la commune du projet, puis ses quartiers."}
        )
    inside = set(commune.qpvs.values_list("pk", flat=True))
    outside = [qpv.name for qpv in qpvs if qpv.pk not in inside]
    if outside:
        raise ValidationError(
            {
                "qpvs": plural(
                    len(outside),
                    "Le quartier « %(names)s » n'est pas dans la commune choisie, %(commune)s. "
                    "Cochez seulement des quartiers de cette commune.",
                    "Les quartiers « %(names)s » ne sont pas dans la commune choisie, "
                    "%(commune)s. Cochez seulement des quartiers de cette commune.",
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
        check_qpvs_in_commune(locked.commune, data["qpvs"])
        locked.qpvs.set(data["qpvs"])
    rerouted = False
    if "commune" in fields and locked.state != ProjectState.DRAFT:
        # A proposed project follows its commune to the right chef de projet.
        contract = locked.commune.city_contract if locked.commune else None
        rerouted = contract != locked.city_contract
        if rerouted:
            record(
                PROJECT,
                locked,
                "reroute",
                actor=actor,
                reason="Commune changée : le projet suit son contrat de ville.",
                changes={"city_contract": [locked.city_contract_id, contract and contract.pk]},
            )
        locked.city_contract = contract
        fields.append("city_contract")
    _record_save(locked, actor, section, fields)
    if rerouted:
        tell_assigned(locked)
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
        raise ValidationError({"amount_requested": "Le montant demandé ne peut être négatif."})
    if amount_requested and amount_requested > totals["charges"]:
        raise ValidationError(
            {
                "amount_requested": "Le montant demandé ({asked}) dépasse le total des charges ({total}).".format(
                    asked=euros(amount_requested), total=euros(totals["charges"])
                )
            }
        )
    locked.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(new_lines)
    locked.amount_requested = amount_requested
    _record_save(locked, actor, "budget", ["amount_requested"])
    return locked


def project_delete_check(*, project: Project, actor: User) -> None:
    """Raise ValidationError, saying why, when this project may not be deleted by this person."""
    if not allowed(actor, "submissions.delete_project", project):
        raise ValidationError("Vous ne pouvez pas supprimer ce projet.")
    if project.state != ProjectState.DRAFT:
        raise ValidationError("Seul un brouillon se supprime ; un projet proposé se retire.")


@transaction.atomic
def project_delete(*, project: Project, actor: User) -> None:
    """Delete a draft and its files: only its association ever saw it."""
    locked = Project.objects.select_for_update().select_related("association").get(pk=project.pk)
    project_delete_check(project=locked, actor=actor)
    files = [(item.file.storage, item.file.name) for item in locked.attachments.all()]
    locked.delete()

    def delete_files() -> None:
        for storage, name in files:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)
