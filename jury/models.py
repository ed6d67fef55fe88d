import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jury.enums import (
    Attendance,
    Decision,
    EvaluationState,
    JurorQuality,
    SessionState,
)
from submissions.models import Edition, Project


class Criterion(models.Model):
    """One line of an edition's scoring grid."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField("critère", max_length=150)
    guidance = models.TextField("ce que le jury regarde", blank=True)
    weight = models.DecimalField(
        "poids",
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    scale_max = models.PositiveSmallIntegerField(
        "note maximale", default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "critère"
        verbose_name_plural = "critères"
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "label"],
                name="criterion_label_unique",
                violation_error_message="La grille de cette édition a déjà un critère à ce nom.",
            ),
        ]

    def __str__(self):
        return self.label


class JurySession(models.Model):
    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="jury_sessions", verbose_name="édition"
    )
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début", help_text="Heure de Paris.")
    place = models.CharField("lieu", max_length=250, blank=True)
    video_url = models.URLField("lien de visioconférence", blank=True)
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_sessions",
        verbose_name="président du jury",
    )
    state = models.CharField(
        "état", max_length=20, choices=SessionState, default=SessionState.PLANNED
    )
    closed_at = models.DateTimeField("close le", null=True, blank=True)
    convened_at = models.DateTimeField("convocations envoyées le", null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "séance du jury"
        verbose_name_plural = "séances du jury"
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jury:session_detail", args=[self.pk])

    @property
    def is_planned(self) -> bool:
        return self.state == SessionState.PLANNED

    @property
    def is_open(self) -> bool:
        return self.state == SessionState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == SessionState.CLOSED


class JuryMember(models.Model):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats"
    )
    quality = models.CharField("qualité", max_length=30, choices=JurorQuality)
    present = models.BooleanField("présent", null=True, blank=True)

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="jurymember_unique",
                violation_error_message="Cette personne fait déjà partie de cette séance du jury.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_quality_display()})"


class Audition(models.Model):
    """A shortlisted project's slot before the jury."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="auditions")
    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="audition")
    position = models.PositiveSmallIntegerField("ordre de passage", default=0)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=20, validators=[MinValueValidator(5), MaxValueValidator(180)]
    )
    break_after_minutes = models.PositiveSmallIntegerField(
        "pause après (minutes)", default=0, validators=[MaxValueValidator(120)]
    )
    starts_at = models.DateTimeField("heure de passage")
    ics_sequence = models.PositiveIntegerField(default=0)
    attendance = models.CharField(
        "présence de l'association",
        max_length=20,
        choices=Attendance,
        default=Attendance.PENDING,
    )
    presenters = models.CharField("qui présentera", max_length=300, blank=True)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "audition"
        verbose_name_plural = "auditions"
        ordering = ["session", "position", "pk"]

    def __str__(self):
        return f"{self.project} — {self.session}"


class ConflictDeclaration(models.Model):
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="declarations")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    has_conflict = models.BooleanField("conflit d'intérêts")
    reason = models.TextField("motif", blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "déclaration d'intérêts"
        verbose_name_plural = "déclarations d'intérêts"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "project"],
                name="declaration_unique",
                violation_error_message="Ce juré a déjà fait sa déclaration pour ce projet.",
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(reason=""),
                name="declaration_conflict_has_reason",
                violation_error_message="Dites en quelques mots la raison du conflit d'intérêts.",
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.project}: {'conflit' if self.has_conflict else 'aucun'}"


class Evaluation(models.Model):
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="evaluations")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "état", max_length=20, choices=EvaluationState, default=EvaluationState.DRAFT
    )
    general_comment = models.TextField("commentaire général", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "project"],
                name="evaluation_unique",
                violation_error_message="Ce juré a déjà une évaluation de ce projet.",
            ),
        ]

    def __str__(self):
        return f"{self.member.user} — {self.project}"

    @property
    def is_submitted(self) -> bool:
        return self.state == EvaluationState.SUBMITTED


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField("note", max_digits=4, decimal_places=1)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"],
                name="score_unique",
                violation_error_message="Ce critère a déjà une note dans cette évaluation.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="score_not_negative",
                violation_error_message="Une note ne peut pas être négative.",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class EvaluationAmendment(models.Model):
    """A change to a submitted evaluation, with its reason: kept forever."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField("motif de la modification")
    before = models.JSONField()
    after = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.evaluation} — {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """The jury's proposal for one project: laureate or not, with an amount."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="proposals")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("proposition", max_length=20, choices=Decision)
    amount = models.DecimalField(
        "montant proposé (€)",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    justification = models.TextField("justification")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "proposition du jury"
        verbose_name_plural = "propositions du jury"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "project"],
                name="proposal_unique",
                violation_error_message="Le jury a déjà une proposition pour ce projet.",
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.LAUREATE) | Q(amount=0),
                name="proposal_amount_only_for_laureates",
                violation_error_message="Un montant se propose seulement pour un lauréat.",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.get_decision_display()}"


class ConvocationRun(models.Model):
    """One sending of a session's convocations, done by a background task (jury.convocations).

    The coordinator's click records it; the task convenes the associations not
    convened yet, one audition at a time, then the jurors, counting ``done``
    out of ``total`` so the session page shows how far it is.
    """

    session = models.ForeignKey(
        JurySession, on_delete=models.CASCADE, related_name="convocation_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    # Why the sending stopped, for the technical team; the page says it in a sentence.
    error = models.TextField(blank=True)
    # The same form sent twice (a double click) records one sending (core.once).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "envoi des convocations"
        verbose_name_plural = "envois des convocations"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(finished_at__isnull=True),
                name="convocationrun_one_unfinished",
                violation_error_message="Les convocations de cette séance sont déjà en cours d'envoi.",
            )
        ]

    def __str__(self):
        return f"Convocations — {self.session}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_failed(self) -> bool:
        return bool(self.error)

    @property
    def percent(self) -> int:
        if self.is_finished and not self.is_failed:
            return 100
        return min(100, round(self.done * 100 / self.total)) if self.total else 0


# Where the old JuryBundle kept its PDF: migration 0002 still names it (the bundle is now a
# core.files BackgroundFile, migration 0005).
def bundle_path(instance, filename):
    return f"jury/{instance.session_id}/{uuid.uuid4().hex}.pdf"
