"""The laureates stage: each edition's public showcase and the laureates' public cards.

A ``Laureate`` is the public face of a project that won the label: the
coordination writes its card with the association, then publishes the
edition's ``Showcase``. A laureate of a past edition, imported from the
label's archives, has no ``Project`` on the portal: its card carries what is
known (association, commune, title, pitch, theme, amount, source).

A card is shown to the public only when it and its edition's showcase are
both published: ``Laureate.is_public`` holds that, kept by the publication
services, so that public lists read one indexed column.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from accounts.models import Association, Commune, Qpv
from core.codes import readable_code
from core.search import ImmutableUnaccent
from core.storage import private_storage
from laureates.enums import (
    CardState,
    MilestoneStatus,
    ReportKind,
    ReportState,
    ShowcaseState,
)
from submissions.enums import Theme
from submissions.models import Edition, Project

# French stemming after unaccent: « education » finds « Éducation », « jeunesse » « jeunes ».
# Created by migration 0002_public_search.
SEARCH_CONFIG = "french_unaccent"


def search_words() -> ImmutableUnaccent:
    """The words a close match is looked for in, accents removed (laureates.search).

    Its trigram index ``laureate_words_trgm`` holds this very expression.
    """
    return ImmutableUnaccent(Concat("title", Value(" "), "association_name", Value(" "), "pitch"))


def new_certificate_code() -> str:
    """A random verification code such as « 7KQ4-M2XP-9DTA »."""
    return readable_code(3)


def laureate_photo_path(instance, filename):
    """A name that says nothing: the file is served by laureates:photo, for a public card only."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"laureats/{uuid.uuid4().hex}.{extension}"


class Showcase(models.Model):
    """The public showcase of one edition: nothing of it is public before its publication."""

    edition = models.OneToOneField(
        Edition, on_delete=models.CASCADE, related_name="showcase", verbose_name="édition"
    )
    state = models.CharField(
        "état", max_length=20, choices=ShowcaseState, default=ShowcaseState.DRAFT
    )
    show_amounts = models.BooleanField(
        "montrer les montants accordés",
        default=True,
        help_text="Décochez pour ne pas afficher les montants sur les pages publiques.",
    )
    intro = models.TextField(
        "présentation de l'édition",
        blank=True,
        help_text="Quelques lignes en tête de la page « Projets primés ».",
    )
    # For an edition imported from the archives, whose dossiers are not on the portal.
    projects_received = models.PositiveIntegerField(
        "projets reçus (archives)",
        null=True,
        blank=True,
        help_text="Seulement pour une édition passée dont les dossiers ne sont pas sur le portail.",
    )
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "vitrine d'une édition"
        verbose_name_plural = "vitrines des éditions"
        ordering = ["-edition__year"]

    def __str__(self):
        return f"Projets primés en {self.edition.year}"

    def get_absolute_url(self):
        return reverse("laureates:year", args=[self.edition.year])

    @property
    def is_published(self) -> bool:
        return self.state == ShowcaseState.PUBLISHED


class Laureate(models.Model):
    """A laureate project's public card."""

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="laureates", verbose_name="édition"
    )
    # Copied from the edition: the public list sorts and filters on it with one index.
    year = models.PositiveSmallIntegerField("année", editable=False)
    # A past laureate whose edition the archives do not say for sure (« 2018 ou 2019 »).
    year_note = models.CharField(
        "précision sur l'édition",
        max_length=100,
        blank=True,
        help_text="Par exemple « édition non précisée : 2018 ou 2019 ».",
    )
    project = models.OneToOneField(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="laureate",
        verbose_name="projet déposé",
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="laureates",
        verbose_name="association",
    )
    association_name = models.CharField("association (nom public)", max_length=200)
    slug = models.SlugField("adresse", max_length=120)
    title = models.CharField("titre public", max_length=200)
    pitch = models.CharField(
        "accroche", max_length=300, help_text="Une ou deux phrases : ce que fait le projet."
    )
    description = models.TextField("présentation", blank=True)
    # Private storage: a card's photo is public only while the card is (laureates:photo).
    photo = models.ImageField(
        "photo", storage=private_storage, upload_to=laureate_photo_path, blank=True
    )
    photo_alt = models.CharField(
        "description de la photo",
        max_length=250,
        blank=True,
        help_text="Ce que montre la photo, pour les personnes qui ne la voient pas.",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="laureates",
        verbose_name="commune",
    )
    qpvs = models.ManyToManyField(
        Qpv, blank=True, related_name="laureates", verbose_name="quartiers"
    )
    themes = ArrayField(
        models.CharField(max_length=20, choices=Theme),
        default=list,
        blank=True,
        verbose_name="thèmes",
    )
    amount_granted = models.DecimalField(
        "montant accordé (€)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    partners = models.TextField("partenaires", blank=True)
    website = models.URLField("site web", blank=True)
    state = models.CharField("état", max_length=20, choices=CardState, default=CardState.DRAFT)
    # Card published and edition showcase published (kept by laureates.services).
    is_public = models.BooleanField("visible du public", default=False, editable=False)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    show_progress = models.BooleanField(
        "montrer l'avancement sur la page publique",
        default=False,
        help_text="L'association accepte que ses étapes soient affichées publiquement.",
    )
    certificate_code = models.CharField(
        "code de vérification", max_length=14, unique=True, default=new_certificate_code
    )
    source = models.CharField("source (archives)", max_length=500, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    # Computed by PostgreSQL from the card's words (laureates.search), never written by the code.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("pitch", "association_name", weight="B", config=SEARCH_CONFIG)
            + SearchVector("description", weight="C", config=SEARCH_CONFIG)
            + SearchVector("partners", weight="D", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    # The card's edit form carries it: a save based on an older version is refused (core.stale).
    version = models.PositiveIntegerField("version", default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )

    class Meta:
        verbose_name = "lauréat"
        verbose_name_plural = "lauréats"
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "slug"],
                name="laureate_slug_per_edition",
                violation_error_message="Une autre fiche de cette édition a déjà cette adresse.",
            ),
        ]
        indexes = [
            # The public list: newest edition first, then by title, public cards only.
            models.Index(
                F("year").desc(),
                "title",
                "id",
                name="laureate_public_order",
                condition=Q(is_public=True),
            ),
            GinIndex(fields=["search_vector"], name="laureate_search"),
            # A close word (pg_trgm's %> operator) of the title, association or pitch.
            GinIndex(OpClass(search_words(), name="gin_trgm_ops"), name="laureate_words_trgm"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def save(self, *args, **kwargs):
        if self.edition_id and not self.year:
            self.year = self.edition.year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("laureates:detail", args=[self.year, self.slug])

    @property
    def photo_url(self) -> str:
        """The public address of the photo ("" without one); the version renews browsers' copy."""
        if not self.photo:
            return ""
        return f"{reverse('laureates:photo', args=[self.pk])}?v={self.version}"

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels.get(theme, theme) for theme in self.themes]


# --- Suivi ---------------------------------------------------------------------------------
# The follow-up of a funded laureate project until « Réalisé » (DESIGN.md): the funding
# agreement (tranches, milestones, reports due) written by the coordination, the milestones'
# status kept by the association, its reports handed in, accepted or sent back.


class FundingTranche(models.Model):
    """One payment of the grant: its amount, when it is due, on what condition, when paid."""

    laureate = models.ForeignKey(
        Laureate, on_delete=models.CASCADE, related_name="tranches", verbose_name="lauréat"
    )
    amount = models.DecimalField("montant (€)", max_digits=9, decimal_places=2)
    due_on = models.DateField("date prévue du versement")
    condition = models.CharField(
        "condition du versement",
        max_length=300,
        blank=True,
        help_text="Par exemple : « après réception du bilan intermédiaire ».",
    )
    paid_on = models.DateField("versée le", null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "tranche de financement"
        verbose_name_plural = "tranches de financement"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="tranche_amount_positive",
                violation_error_message="Le montant d'une tranche doit être positif.",
            ),
        ]

    def __str__(self):
        return f"{self.amount} € au {self.due_on:%d/%m/%Y}"


class Milestone(models.Model):
    """One step of the project, with its planned date; the association updates its status."""

    laureate = models.ForeignKey(
        Laureate, on_delete=models.CASCADE, related_name="milestones", verbose_name="lauréat"
    )
    title = models.CharField("étape", max_length=200)
    planned_on = models.DateField("date prévue")
    status = models.CharField(
        "avancement", max_length=20, choices=MilestoneStatus, default=MilestoneStatus.PLANNED
    )
    note = models.CharField(
        "commentaire", max_length=500, blank=True, help_text="Où en est cette étape, en bref."
    )
    position = models.PositiveIntegerField("ordre", default=0)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "étape du projet"
        verbose_name_plural = "étapes du projet"
        ordering = ["position", "planned_on", "pk"]

    def __str__(self):
        return self.title


class Report(models.Model):
    """A report the association owes the coordination (intermediate, then final)."""

    laureate = models.ForeignKey(
        Laureate, on_delete=models.CASCADE, related_name="reports", verbose_name="lauréat"
    )
    kind = models.CharField("type de bilan", max_length=20, choices=ReportKind)
    due_on = models.DateField("à remettre le")
    text = models.TextField(
        "bilan",
        blank=True,
        help_text="Ce qui a été fait, avec qui, pour combien d'habitants ; ce qui a changé.",
    )
    state = models.CharField(
        "état", max_length=20, choices=ReportState, default=ReportState.EXPECTED
    )
    return_reason = models.TextField("ce qui est à reprendre", blank=True)
    submitted_at = models.DateTimeField("remis le", null=True, blank=True)
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["laureate"],
                condition=Q(kind=ReportKind.FINAL),
                name="one_final_report_per_laureate",
                violation_error_message="Ce projet a déjà un bilan final.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.due_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("laureates:followup_report", args=[self.laureate_id, self.pk])

    @property
    def is_returned(self) -> bool:
        """Sent back by the coordination: its reason says what to rework."""
        return self.state == ReportState.RETURNED


def report_file_path(instance, filename):
    # Never the name the person gave: a random one, with the checked extension.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"laureates/reports/{instance.report_id}/{uuid.uuid4().hex}.{extension}"


class ReportAttachment(models.Model):
    """A file joined to a report (photos, attendance sheets, accounts…), kept private."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=report_file_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe d'un bilan"
        verbose_name_plural = "pièces jointes des bilans"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "laureates:followup_report_file",
            args=[self.report.laureate_id, self.report_id, self.pk],
        )


class ReportReminder(models.Model):
    """A reminder mailed about one report: one row per report and reminder, never twice."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    # "before-14", "before-3"… or "late".
    reminder = models.CharField(max_length=20)
    sent_on = models.DateField("envoyé le")

    class Meta:
        verbose_name = "rappel de bilan"
        verbose_name_plural = "rappels de bilans"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "reminder"],
                name="one_reminder_per_report",
                violation_error_message="Ce rappel est déjà envoyé pour ce bilan.",
            ),
        ]

    def __str__(self):
        return f"{self.report} : {self.reminder}"
