"""Writes of a laureate's follow-up: the agreement, milestones, reports, « Réalisé », reminders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.formats import date_format

from accounts.models import User
from accounts.selectors import association_members
from core.links import absolute_url
from core.once import already_created, save_once
from core.permissions import allowed
from core.workflow import transition
from laureates.enums import ReportState
from laureates.models import (
    FundingTranche,
    Laureate,
    Milestone,
    Report,
    ReportAttachment,
    ReportReminder,
)
from laureates.selectors import OPEN_REPORT_STATES
from laureates.services.cards import public_content_changed_after_commit
from laureates.workflows import (
    MILESTONE,
    MILESTONE_MOVES,
    REPORT,
    FollowupRefused,
    final_report_accepted,
)
from notifications.services import notify
from submissions.enums import ProjectState
from submissions.services.transitions import project_transition
from submissions.uploads import checked_upload

# The agreement's parts the coordination edits, by the word their URLs use.
AGREEMENT_MODELS = {"tranches": FundingTranche, "etapes": Milestone, "bilans": Report}
AgreementItem = FundingTranche | Milestone | Report
# A report's files: enough for photos and attendance sheets, not a dossier.
REPORT_MAX_FILES = 10


def _require(actor: User, perm: str, obj, message: str) -> None:
    if not allowed(actor, perm, obj):
        raise FollowupRefused(message, code="actor")


# --- the agreement, written by the coordination --------------------------------------------


@transaction.atomic
def agreement_item_save(
    *, laureate: Laureate, actor: User, item: AgreementItem, submission_key=None
) -> AgreementItem:
    """Add or change one tranche, milestone or report date of the agreement."""
    _require(
        actor, "laureates.manage_followup", laureate, "Seule la coordination modifie la convention."
    )
    if item.pk is None and (existing := already_created(type(item), submission_key)):
        return existing
    if isinstance(item, Report) and item.pk and item.state != ReportState.EXPECTED:
        original = Report.objects.get(pk=item.pk)
        if (original.kind, original.due_on) != (item.kind, item.due_on):
            raise FollowupRefused("Ce bilan est déjà remis : son type et sa date ne changent plus.")
    item.laureate = laureate
    if item.pk is None:
        item.submission_key = submission_key
        if isinstance(item, Milestone):
            item.position = (
                laureate.milestones.aggregate(last=models.Max("position"))["last"] or 0
            ) + 1
    item.full_clean()
    if item.pk is None:
        item, _created = save_once(item)
        return item
    item.save()
    return item


@transaction.atomic
def agreement_item_delete(*, item: AgreementItem, actor: User) -> None:
    """Remove one part of the agreement; a report already handed in stays."""
    _require(
        actor,
        "laureates.manage_followup",
        item.laureate,
        "Seule la coordination modifie la convention.",
    )
    if isinstance(item, Report) and (
        item.state != ReportState.EXPECTED or item.attachments.exists()
    ):
        raise FollowupRefused(
            "Ce bilan est commencé ou remis par l'association : il ne peut plus être supprimé."
        )
    item.delete()


# --- milestones: their status, kept by the association -------------------------------------


@transaction.atomic
def milestone_update(*, milestone: Milestone, actor: User, status: str, note: str) -> Milestone:
    """Save the note, and move the status through the milestone workflow when it changes."""
    _require(
        actor,
        "laureates.update_milestone",
        milestone.laureate,
        "Seules l'association et la coordination suivent les étapes.",
    )
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.note != note:
        locked.note = note
        locked.full_clean(exclude=["laureate"])
        locked.save(update_fields=["note"])
    if locked.status != status:
        name, _label = MILESTONE_MOVES[status]
        locked = transition(MILESTONE, locked, name, actor=actor)
    return locked


# --- reports: written and handed in by the association, reviewed by the coordination ------


def _require_open_report(report: Report) -> None:
    if report.state not in OPEN_REPORT_STATES:
        raise FollowupRefused(
            "Ce bilan est remis : il ne peut plus être modifié, sauf si la coordination "
            "vous le renvoie."
        )


@transaction.atomic
def report_save(*, report: Report, actor: User, text: str) -> Report:
    """Save the report's text as a draft (nothing is handed in yet)."""
    _require(
        actor, "laureates.write_report", report.laureate, "Seule l'association écrit ses bilans."
    )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _require_open_report(locked)
    locked.text = text
    locked.full_clean(exclude=["laureate"])
    locked.save(update_fields=["text"])
    return locked


@transaction.atomic
def report_attachment_add(
    *, report: Report, actor: User, upload, submission_key=None
) -> ReportAttachment:
    """Store a checked file with the report, under a generated name, outside public media."""
    if existing := already_created(ReportAttachment, submission_key):
        return existing
    _require(
        actor, "laureates.write_report", report.laureate, "Seule l'association écrit ses bilans."
    )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _require_open_report(locked)
    if locked.attachments.count() >= REPORT_MAX_FILES:
        raise ValidationError(
            f"Un bilan compte {REPORT_MAX_FILES} pièces jointes au plus : supprimez-en une d'abord.",
            code="too_many",
        )
    attachment = ReportAttachment(
        report=locked,
        **checked_upload(upload),
        uploaded_by=actor,
        submission_key=submission_key,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment, _created = save_once(attachment)
    return attachment


@transaction.atomic
def report_attachment_delete(*, attachment: ReportAttachment, actor: User) -> None:
    report = attachment.report
    _require(
        actor, "laureates.write_report", report.laureate, "Seule l'association écrit ses bilans."
    )
    _require_open_report(Report.objects.select_for_update().get(pk=report.pk))
    storage, name = attachment.file.storage, attachment.file.name or ""
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def report_transition_check(*, report: Report, actor: User, name: str) -> None:
    """Raise FollowupRefused when ``actor`` may not take ``name`` now (before confirming)."""
    REPORT.check(report, actor, name)


def report_transition(*, report: Report, actor: User, name: str, reason: str = "") -> Report:
    """Hand in, accept or send back a report; the event is written, the other side mailed."""
    return transition(
        REPORT,
        report,
        name,
        actor=actor,
        reason=reason,
        lock=Report.objects.select_related("laureate__association"),
    )


# --- the end: « Réalisé » -------------------------------------------------------------------


def completion_refusal(laureate: Laureate) -> str | None:
    """Why the project cannot be marked « Réalisé » yet, or None."""
    if laureate.project is None:
        return "Ce lauréat des archives n'a pas de projet sur le portail à marquer réalisé."
    if laureate.project.state == ProjectState.COMPLETED:
        return "Ce projet est déjà marqué réalisé."
    if not final_report_accepted(laureate):
        return "Le projet ne peut être marqué réalisé qu'une fois son bilan final remis et accepté."
    return None


@transaction.atomic
def mark_completed(*, laureate: Laureate, actor: User):
    """Mark the laureate's project « Réalisé », once its final report is accepted."""
    _require(
        actor,
        "laureates.manage_followup",
        laureate,
        "Seule la coordination marque un projet réalisé.",
    )
    if refusal := completion_refusal(laureate):
        raise FollowupRefused(refusal, code="not_ready")
    assert laureate.project is not None  # completion_refusal says so otherwise
    project = project_transition(
        project=laureate.project, actor=actor, name="complete", publication=True
    )
    if laureate.is_public:
        # The public page says « Réalisé » from now on.
        public_content_changed_after_commit(sender=type(laureate), years=[laureate.year])
    return project


# --- reminders ------------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    before: int = 0
    late: int = 0
    without_recipient: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return self.before + self.late


def reminder_due(report: Report, *, today: date, days: tuple[int, ...]) -> str | None:
    """The reminder a report calls for today, or None.

    Late (from the day after its due date): « late ». Before: the closest of the
    configured delays already reached (« before-3 » three days before, and until
    the due date), so that a day the job did not run is caught up the next day
    and a report added late gets one reminder, not several.
    """
    if report.state not in OPEN_REPORT_STATES:
        return None
    left = (report.due_on - today).days
    if left < 0:
        return "late"
    reached = [n for n in days if left <= n]
    return f"before-{min(reached)}" if reached else None


def send_followup_reminders(*, today: date, dry_run: bool = False) -> ReminderSummary:
    """Mail the associations about their reports due soon or late, each reminder once."""
    summary = ReminderSummary()
    days = tuple(settings.FOLLOWUP_REMINDER_DAYS)
    reports = (
        Report.objects.filter(
            state__in=OPEN_REPORT_STATES,
            laureate__project__state=ProjectState.LAUREATE,
            laureate__association__isnull=False,
        )
        .select_related("laureate__association")
        .order_by("due_on", "pk")
    )
    for report in reports:
        reminder = reminder_due(report, today=today, days=days)
        if reminder is None or report.reminders.filter(reminder=reminder).exists():
            continue
        association = report.laureate.association
        recipients = list(association_members(association).filter(is_active=True))
        if not recipients:
            summary.without_recipient.append(report.laureate.title)
            continue
        if not dry_run and not _remind(report, reminder=reminder, today=today, to=recipients):
            continue
        if reminder == "late":
            summary.late += 1
        else:
            summary.before += 1
    return summary


def _remind(report: Report, *, reminder: str, today: date, to: list[User]) -> bool:
    """Record the reminder, then mail it after the commit; False when already sent."""
    try:
        with transaction.atomic():
            ReportReminder.objects.create(report=report, reminder=reminder, sent_on=today)
            notify(
                kind="report",
                users=to,
                title="{verb} : {title}".format(
                    verb="Bilan en retard" if reminder == "late" else "Bilan à remettre",
                    title=report.laureate.title,
                ),
                link=report.get_absolute_url(),
                mail_template="laureates/email/report_reminder",
                context={
                    "report": report,
                    "laureate": report.laureate,
                    "late": reminder == "late",
                    "days_left": (report.due_on - today).days,
                    "due_on": date_format(report.due_on, "j F Y"),
                    "url": absolute_url(report),
                },
            )
    except IntegrityError:
        # Another run sent it a moment ago.
        return False
    return True
