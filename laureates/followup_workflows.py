"""The lifecycles of a laureate's follow-up on the portal's one workflow engine.

A report the association owes goes « À remettre » → « Remis » → « Accepté », or
back to « À reprendre » with the coordination's reason, then « Remis » again.
A milestone's status (à venir, en cours, fait, abandonné) moves the same way,
so that who said a step was done, and when, stays in the event log.

(Kept apart from ``laureates.workflows``, which holds the showcase and card
lifecycles: the lead may merge both modules.)
"""

from django.utils import timezone

from accounts.models import User
from accounts.selectors import member_emails
from core.links import absolute_url
from core.mail import send_mail_on_commit
from core.workflow import Transition, TransitionRefused, Workflow
from laureates.enums import MilestoneStatus, ReportKind, ReportState
from laureates.models import Milestone, Report

MEMBER = "member"
COORDINATOR = "coordinator"


class FollowupRefused(TransitionRefused):
    """A follow-up action the rules do not allow now."""


def followup_roles(user, laureate) -> set[str]:
    """The roles a person holds on a laureate's follow-up (empty for a stranger)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles = set()
    if user.is_coordinator:
        roles.add(COORDINATOR)
    if (
        laureate.association_id
        and user.memberships.filter(association_id=laureate.association_id).exists()
    ):
        roles.add(MEMBER)
    return roles


def coordinator_emails() -> list[str]:
    return list(
        User.objects.filter(is_coordinator=True, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


# --- Reports ------------------------------------------------------------------------------


def _before_submit(report: Report, actor, reason: str) -> list[str]:
    if not report.text.strip():
        raise FollowupRefused(
            {"text": "Écrivez le bilan avant de le remettre : quelques phrases suffisent."},
            code="empty",
        )
    report.submitted_at = timezone.now()
    return ["submitted_at"]


def _reviewed(report: Report, actor, reason: str) -> list[str]:
    report.reviewed_at = timezone.now()
    report.return_reason = reason
    return ["reviewed_at", "return_reason"]


def _tell(who: str):
    """Tell the association ("members") or the coordination of a report's move."""

    def notify(report: Report, actor, event) -> None:
        laureate = report.laureate
        if who == "members":
            recipients = member_emails(laureate.association) if laureate.association else []
        else:
            recipients = coordinator_emails()
        recipients = sorted(set(recipients) - {getattr(actor, "email", None)})
        if recipients:
            send_mail_on_commit(
                template="laureates/email/report_transition",
                to=recipients,
                context={
                    "report": report,
                    "laureate": laureate,
                    "states": ReportState,
                    "transition": REPORT[event.action],
                    "reason": event.reason,
                    "url": absolute_url(report),
                },
            )

    return notify


REPORT = Workflow(
    name="laureate-report",
    model=Report,
    roles_of=lambda user, report: followup_roles(user, report.laureate),
    refused=FollowupRefused,
    state_refusal="Impossible : le bilan est « %(state)s ».",
    transitions=[
        Transition(
            "submit",
            "Remettre le bilan",
            sources={ReportState.EXPECTED, ReportState.RETURNED},
            target=ReportState.SUBMITTED,
            actors={MEMBER},
            check=_before_submit,
            notify=_tell("coordination"),
            success="Bilan remis à la coordination. Elle vous répondra par mail.",
            confirm=(
                "Le bilan et ses pièces jointes seront remis à la coordination. Vous ne "
                "pourrez plus les modifier, sauf si la coordination vous le renvoie."
            ),
            refused_state="Ce bilan est déjà remis.",
            refused_actor="Seule l'association remet ses bilans.",
        ),
        Transition(
            "accept",
            "Accepter le bilan",
            sources={ReportState.SUBMITTED},
            target=ReportState.ACCEPTED,
            actors={COORDINATOR},
            check=_reviewed,
            notify=_tell("members"),
            success="Bilan accepté. L'association en est informée par mail.",
            refused_state="Seul un bilan remis peut être accepté.",
            refused_actor="Seule la coordination accepte les bilans.",
        ),
        Transition(
            "send_back",
            "Renvoyer pour modifications",
            sources={ReportState.SUBMITTED},
            target=ReportState.RETURNED,
            actors={COORDINATOR},
            needs_reason=True,
            check=_reviewed,
            notify=_tell("members"),
            success="Bilan renvoyé. L'association reçoit par mail ce qui est à reprendre.",
            confirm=(
                "Le bilan sera renvoyé à l'association, qui pourra le modifier puis le "
                "remettre à nouveau. Elle recevra par mail ce que vous indiquez."
            ),
            button="secondary",
            refused_state="Seul un bilan remis peut être renvoyé.",
            refused_actor="Seule la coordination renvoie les bilans.",
        ),
    ],
)


def final_report_accepted(laureate) -> bool:
    """Whether the project's final report is accepted: the condition of « Réalisé »."""
    return laureate.reports.filter(kind=ReportKind.FINAL, state=ReportState.ACCEPTED).exists()


# --- Milestones ---------------------------------------------------------------------------

M = MilestoneStatus
# A status is chosen in a list: each one is reached by the move named after it.
MILESTONE_MOVES: dict[str, tuple[str, str]] = {
    M.PLANNED: ("plan", "Remettre à venir"),
    M.IN_PROGRESS: ("start", "Commencée"),
    M.DONE: ("finish", "Faite"),
    M.ABANDONED: ("abandon", "Abandonnée"),
}

MILESTONE = Workflow(
    name="laureate-milestone",
    model=Milestone,
    roles_of=lambda user, milestone: followup_roles(user, milestone.laureate),
    state_field="status",
    refused=FollowupRefused,
    state_refusal="Cette étape est déjà « %(state)s ».",
    transitions=[
        Transition(
            name,
            label,
            sources=set(M) - {status},
            target=status,
            actors={MEMBER, COORDINATOR},
            refused_actor="Seules l'association et la coordination suivent les étapes.",
        )
        for status, (name, label) in MILESTONE_MOVES.items()
    ],
)
