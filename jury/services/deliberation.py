"""The jury's proposals, project by project, within the edition's envelope."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from accounts.models import User
from core.formats import euros
from core.workflow import record
from jury.enums import Decision
from jury.models import ConflictDeclaration, JurySession, Proposal
from jury.services._common import JuryRefused
from jury.workflows import DECIDE, PROPOSAL, may_deliberate
from submissions.enums import ProjectState
from submissions.models import Project


@transaction.atomic
def proposal_save(
    *,
    session: JurySession,
    project: Project,
    actor: User,
    decision: str,
    amount: Decimal,
    justification: str,
) -> Proposal:
    """Record the jury's proposal for a project, within the edition's envelope."""
    locked = JurySession.objects.select_for_update().get(pk=session.pk)
    if not may_deliberate(actor, locked):
        raise JuryRefused("Seuls le président du jury et la coordination notent les propositions.")
    if locked.is_planned:
        raise JuryRefused("Cette séance n'est pas encore ouverte.")
    if not locked.is_open:
        raise JuryRefused("Les propositions d'une séance close ne changent plus.")
    if not locked.auditions.filter(project=project).exists():
        raise JuryRefused("Ce projet ne passe pas devant cette séance.")
    if project.state != ProjectState.SHORTLISTED:
        raise JuryRefused(
            f"Ce projet est « {project.get_state_display()} » : le jury ne fait plus de proposition pour lui."
        )
    conflicted = ConflictDeclaration.objects.filter(
        member__session=locked, member__user=actor, project=project, has_conflict=True
    ).exists()
    if conflicted:
        raise JuryRefused(
            "Vous avez déclaré un conflit d'intérêts : la proposition revient à un autre membre."
        )
    amount = amount if decision == Decision.LAUREATE else Decimal("0")
    others = Proposal.objects.filter(
        session__edition=locked.edition, decision=Decision.LAUREATE
    ).exclude(session=locked, project=project).aggregate(total=Sum("amount"))["total"] or Decimal(
        "0"
    )
    envelope = locked.edition.budget_envelope
    if envelope and others + amount > envelope:
        raise JuryRefused(
            {
                "amount": (
                    f"Avec ce montant, les propositions atteignent {euros(others + amount)}, au-delà de "
                    f"l'enveloppe de l'édition ({euros(envelope)})."
                )
            }
        )
    saved = Proposal.objects.filter(session=locked, project=project).first()
    before = _decision_of(saved) if saved else dict.fromkeys(DECISION_FIELDS)
    proposal, _created = Proposal.objects.update_or_create(
        session=locked,
        project=project,
        defaults={
            "decision": decision,
            "amount": amount,
            "justification": justification.strip(),
            "recorded_by": actor,
        },
    )
    proposal.full_clean()
    after = _decision_of(proposal)
    changes = {name: [before[name], after[name]] for name in DECISION_FIELDS}
    changes = {name: values for name, values in changes.items() if values[0] != values[1]}
    if changes:
        record(PROPOSAL, proposal, DECIDE, actor=actor, changes=changes)
    return proposal


DECISION_FIELDS = ("decision", "amount", "justification")


def _decision_of(proposal: Proposal) -> dict[str, str]:
    """The proposal as the trail keeps it (the amount as text: JSON has no Decimal)."""
    return {
        "decision": proposal.decision,
        "amount": str(Decimal(proposal.amount).quantize(Decimal("0.01"))),
        "justification": proposal.justification,
    }
