"""How long the portal keeps personal data, and the job that applies it.

One source: ``RETENTION`` is what the page /donnees-personnelles/ prints
(templates/pages/privacy.html) and what ``manage.py apply_retention`` and the
scheduled job (privacy.schedule) apply, so the page and the practice cannot
diverge. A period names its reference date precisely:

- an account: its last sign-in (its creation when it never signed in);
- a dossier that did not win the label: the end of its edition's year
  (its last change when it was never deposited);
- a meeting registration: the end of the meeting;
- a sign-in log entry: its date; a rate-limit row: the end of its window;
- a mail of the sending queue: its sending, or its last try when it failed.

Applying a period is idempotent: what it touched holds nothing personal any
more, so a second run finds nothing; ``dry_run`` counts without changing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import CharField, Exists, Min, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from accounts.models import User
from core import cache_versions
from core.models import MailStatus, OutgoingMail, RateLimitHit
from jury.models import Evaluation, Score
from network.models import Registration
from privacy import erasure
from submissions.enums import ProjectState
from submissions.models import (
    Attachment,
    CoachingEntry,
    DepositSnapshot,
    Message,
    Project,
    ProjectChange,
    ThreadRead,
)

PUBLIC_INTEREST = "Mission d'intérêt public (art. 6-1-e)"


@dataclass(frozen=True)
class Period:
    """One line of the page's summary table, and the rule the job applies."""

    key: str
    data: str
    basis: str
    duration: str
    # What the job does once the period is over, as the page says it.
    then: str
    years: int = 0
    days: int = 0


ACCOUNTS = Period(
    key="accounts",
    data="Comptes (membres des associations, chefs de projet, jurés, coordination)",
    basis=PUBLIC_INTEREST,
    duration="Tant que le compte sert, puis 3 ans après la dernière connexion",
    then=(
        "Le compte est supprimé : nom, prénom, e-mail et téléphone sont effacés ; "
        "les dossiers et les évaluations restent, au nom de « Compte supprimé »."
    ),
    years=3,
)
DOSSIERS = Period(
    key="dossiers",
    data="Dossiers de projet non lauréats : échanges, notes d'accompagnement, pièces jointes",
    basis=f"{PUBLIC_INTEREST} et obligation légale (art. 6-1-c)",
    duration=(
        "5 ans après la fin de l'année de leur édition (après leur dernière modification "
        "pour un projet jamais déposé)"
    ),
    then=(
        "Les messages, les notes d'accompagnement, les pièces jointes, le PDF du dossier "
        "déposé, les commentaires des jurés et le nom des personnes qui ont écrit le dossier "
        "sont effacés. Restent, pour les statistiques du label : le titre, le résumé, la "
        "commune, les quartiers, les thèmes, le budget, l'état et les notes du jury. Les "
        "dossiers lauréats sont gardés : ils font l'histoire du label."
    ),
    years=5,
)
REGISTRATIONS = Period(
    key="registrations",
    data="Inscriptions à la rencontre annuelle",
    basis=PUBLIC_INTEREST,
    duration="1 an après la rencontre",
    then="Nom, e-mail, structure, régime alimentaire et besoins d'accessibilité sont effacés.",
    years=1,
)
SIGN_IN_LOG = Period(
    key="sign_in_log",
    data="Journal des connexions et des tentatives de connexion",
    basis=f"{PUBLIC_INTEREST}, sécurité des données (art. 32)",
    duration="1 an",
    then="Les entrées sont supprimées.",
    years=1,
)
RATE_LIMITS = Period(
    key="rate_limits",
    data="Compteurs anti-abus (envois de mails, inscriptions), sans adresse en clair",
    basis=f"{PUBLIC_INTEREST}, sécurité des données (art. 32)",
    duration="Jusqu'à la fin de leur fenêtre de comptage (un jour au plus)",
    then="Les compteurs sont supprimés.",
)

OUTGOING_MAILS = Period(
    key="outgoing_mails",
    data="Copies des mails envoyés par le portail (file d'envoi : destinataire, objet, texte)",
    basis=PUBLIC_INTEREST,
    duration=(
        "30 jours après l'envoi (après le dernier essai pour un mail que le serveur "
        "de mail n'a jamais pris)"
    ),
    then=(
        "La copie du mail est supprimée. Les mails d'un envoi groupé restent dans "
        "l'historique de cet envoi (ce qui a été envoyé à qui)."
    ),
    days=30,
)

RETENTION = [ACCOUNTS, DOSSIERS, REGISTRATIONS, SIGN_IN_LOG, RATE_LIMITS, OUTGOING_MAILS]

# What a dossier keeps after its period: the states that won the label keep everything.
KEPT_DOSSIER_STATES = {ProjectState.LAUREATE, ProjectState.COMPLETED}
ANONYMOUS_REGISTRATION = ("Inscription", "effacée")


def _before(now: datetime, period: Period) -> datetime:
    """The same moment ``period.years`` years earlier (a 29 February gives the 28th)."""
    try:
        return now.replace(year=now.year - period.years)
    except ValueError:
        return now.replace(year=now.year - period.years, day=28)


# --- what is due ---------------------------------------------------------------------------


def accounts_due(now: datetime) -> QuerySet[User]:
    """Accounts not erased whose last sign-in (or creation) is older than the period."""
    return (
        User.objects.filter(erased_at__isnull=True)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=_before(now, ACCOUNTS))
    )


def _holds_personal_parts() -> Q:
    project = OuterRef("pk")
    return (
        Q(created_by__isnull=False)
        | Q(updated_by__isnull=False)
        | Exists(Message.objects.filter(project=project))
        | Exists(CoachingEntry.objects.filter(project=project))
        | Exists(Attachment.objects.filter(project=project))
        | Exists(ThreadRead.objects.filter(project=project))
        | Exists(ProjectChange.objects.filter(project=project, author__isnull=False))
        | Exists(
            DepositSnapshot.objects.filter(project=project).filter(
                ~Q(pdf="") | Q(deposited_by__isnull=False)
            )
        )
        | Exists(Evaluation.objects.filter(project=project).exclude(general_comment=""))
        | Exists(Score.objects.filter(evaluation__project=project).exclude(comment=""))
    )


def dossiers_due(now: datetime) -> QuerySet[Project]:
    """Dossiers that did not win the label, past their period, still holding personal parts."""
    last_year_over = timezone.localdate(now).year - DOSSIERS.years - 1
    past = Q(edition__year__lte=last_year_over) | Q(
        edition__isnull=True, updated_at__lt=_before(now, DOSSIERS)
    )
    return (
        Project.objects.filter(past)
        .exclude(state__in=KEPT_DOSSIER_STATES)
        .filter(_holds_personal_parts())
    )


def registrations_due(now: datetime) -> QuerySet[Registration]:
    """Registrations of meetings ended more than a year ago, not yet anonymised."""
    return Registration.objects.filter(meeting__ends_at__lt=_before(now, REGISTRATIONS)).filter(
        Q(user__isnull=False) | ~Q(email__endswith=f"@{erasure.ERASED_DOMAIN}")
    )


def _sign_in_logs_due(now: datetime) -> list[QuerySet]:
    cutoff = _before(now, SIGN_IN_LOG)
    return [
        model.objects.filter(attempt_time__lt=cutoff)
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    ]


def rate_limits_due(now: datetime) -> QuerySet[RateLimitHit]:
    return RateLimitHit.objects.filter(expires_at__lt=now)


def outgoing_mails_due(now: datetime) -> QuerySet[OutgoingMail]:
    """Mails sent (or failed for good) more than 30 days ago, outside any mailing."""
    cutoff = now - timedelta(days=OUTGOING_MAILS.days)
    return OutgoingMail.objects.filter(outbox_message__isnull=True).filter(
        Q(status=MailStatus.SENT, sent_at__lt=cutoff)
        | Q(status=MailStatus.FAILED, last_attempt_at__lt=cutoff)
    )


# --- what the job does ---------------------------------------------------------------------


def _anonymise_dossier(project: Project) -> None:
    Message.objects.filter(project=project).delete()
    CoachingEntry.objects.filter(project=project).delete()
    ThreadRead.objects.filter(project=project).delete()
    ProjectChange.objects.filter(project=project).update(author=None)
    for attachment in Attachment.objects.filter(project=project):
        erasure.delete_file_on_commit(attachment.file)
        attachment.delete()
    for snapshot in DepositSnapshot.objects.filter(project=project):
        erasure.delete_file_on_commit(snapshot.pdf)
    DepositSnapshot.objects.filter(project=project).update(
        pdf="", pdf_generated_at=None, deposited_by=None
    )
    Evaluation.objects.filter(project=project).update(general_comment="")
    Score.objects.filter(evaluation__project=project).update(comment="")
    # update(): the dossier's own dates stay what they were.
    Project.objects.filter(pk=project.pk).update(created_by=None, updated_by=None)
    # update() sends no signal: no cached page may go on showing what was blanked.
    cache_versions.invalidate_all()


def _anonymise_registrations(registrations: QuerySet[Registration]) -> int:
    first, last = ANONYMOUS_REGISTRATION
    return registrations.update(
        user=None,
        first_name=first,
        last_name=last,
        # Unique per meeting (one registration per address), readable as erased.
        email=Concat(
            Value("inscription-"),
            Cast("pk", output_field=CharField()),
            Value(f"@{erasure.ERASED_DOMAIN}"),
        ),
        organisation="",
        dietary_needs="",
        accessibility_needs="",
    )


@dataclass
class Outcome:
    """What one period found (and, unless a dry run, anonymised or removed)."""

    period: Period
    what: str
    count: int
    since: str = ""
    # Found but kept, with why (the last coordination account…).
    kept: int = 0
    kept_why: str = ""

    def line(self, *, dry_run: bool) -> str:
        verb = "à traiter" if dry_run else "traité·es"
        text = f"{self.what} : {self.count} {verb}"
        if self.since:
            text += f" ({self.since})"
        if self.kept:
            text += f" ; {self.kept} gardé·es : {self.kept_why}"
        return text + "."


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def _accounts(now: datetime, dry_run: bool) -> Outcome:
    due = accounts_due(now)
    oldest = due.aggregate(oldest=Min("last_seen"))["oldest"]
    users = list(due.order_by("pk"))
    kept = 0
    for user in users:
        if dry_run:
            kept += erasure.erasure_refusal(user) is not None
            continue
        try:
            erasure.erase_account(user=user, actor=None, reason=erasure.RETENTION_REASON)
        except erasure.ErasureRefused:
            kept += 1
    return Outcome(
        ACCOUNTS,
        "Comptes sans connexion depuis plus de 3 ans",
        len(users) - kept,
        since=f"dernière activité la plus ancienne le {_date(oldest)}" if oldest else "",
        kept=kept,
        kept_why="dernier compte actif de la coordination",
    )


def _dossiers(now: datetime, dry_run: bool) -> Outcome:
    projects = list(dossiers_due(now).select_related("edition").order_by("pk"))
    years = sorted({project.edition.year for project in projects if project.edition})
    if not dry_run:
        for project in projects:
            with transaction.atomic():
                _anonymise_dossier(project)
    since = ""
    if years:
        since = f"éditions {years[0]} à {years[-1]}" if len(years) > 1 else f"édition {years[0]}"
    if any(project.edition is None for project in projects):
        since = ", ".join(filter(None, [since, "et projets jamais déposés"]))
    return Outcome(DOSSIERS, "Dossiers non lauréats de plus de 5 ans", len(projects), since=since)


def _registrations(now: datetime, dry_run: bool) -> Outcome:
    due = registrations_due(now)
    found = due.aggregate(oldest=Min("meeting__ends_at"))["oldest"]
    count = due.count() if dry_run else _anonymise_registrations(due)
    return Outcome(
        REGISTRATIONS,
        "Inscriptions à une rencontre finie depuis plus d'un an",
        count,
        since=f"rencontre la plus ancienne le {_date(found)}" if found else "",
    )


def _sign_in_logs(now: datetime, dry_run: bool) -> Outcome:
    querysets = _sign_in_logs_due(now)
    oldest = min(
        filter(None, (qs.aggregate(oldest=Min("attempt_time"))["oldest"] for qs in querysets)),
        default=None,
    )
    if dry_run:
        count = sum(qs.count() for qs in querysets)
    else:
        count = sum(qs.delete()[0] for qs in querysets)
    return Outcome(
        SIGN_IN_LOG,
        "Entrées du journal des connexions de plus d'un an",
        count,
        since=f"la plus ancienne le {_date(oldest)}" if oldest else "",
    )


def _rate_limits(now: datetime, dry_run: bool) -> Outcome:
    due = rate_limits_due(now)
    count = due.count() if dry_run else due.delete()[0]
    return Outcome(RATE_LIMITS, "Compteurs anti-abus expirés", count)


def _outgoing_mails(now: datetime, dry_run: bool) -> Outcome:
    due = outgoing_mails_due(now)
    count = due.count() if dry_run else due.delete()[0]
    return Outcome(OUTGOING_MAILS, "Copies de mails envoyés il y a plus de 30 jours", count)


STEPS: list[Callable[[datetime, bool], Outcome]] = [
    _accounts,
    _dossiers,
    _registrations,
    _sign_in_logs,
    _rate_limits,
    _outgoing_mails,
]


def apply_retention(*, now: datetime | None = None, dry_run: bool = False) -> list[Outcome]:
    """Anonymise or remove what is past its period (``dry_run``: only count it)."""
    now = now or timezone.now()
    return [step(now, dry_run) for step in STEPS]


def report(outcomes: list[Outcome], *, dry_run: bool) -> str:
    """The French report: what, how many, since when."""
    title = "Simulation : rien n'est modifié." if dry_run else "Durées de conservation appliquées."
    return "\n".join([title, *(f"- {outcome.line(dry_run=dry_run)}" for outcome in outcomes)])
