import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import Association, CityContract, Commune, Qpv
from core import search
from core.storage import private_storage
from submissions.enums import (
    AttachmentKind,
    BudgetAccount,
    BudgetSide,
    CoachingKind,
    EditionState,
    Funder,
    ProjectState,
    Theme,
    Visibility,
)
from submissions.sections import SECTIONS_BY_SLUG


class Edition(models.Model):
    """One year of the label: its deposit deadline, jury period and budget."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    title = models.CharField("titre", max_length=200)
    opens_on = models.DateField("ouverture des dépôts")
    deposit_deadline = models.DateTimeField("date limite de dépôt", help_text="Heure de Paris.")
    jury_starts_on = models.DateField("début du jury", null=True, blank=True)
    jury_ends_on = models.DateField("fin du jury", null=True, blank=True)
    results_on = models.DateField("annonce des résultats", null=True, blank=True)
    budget_envelope = models.DecimalField(
        "enveloppe budgétaire (€)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    state = models.CharField(
        "état", max_length=20, choices=EditionState, default=EditionState.PREPARING
    )
    results_published_at = models.DateTimeField(
        "résultats publiés le", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "édition"
        verbose_name_plural = "éditions"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state=EditionState.OPEN),
                name="edition_single_open",
                violation_error_message="Une autre édition est déjà ouverte au dépôt.",
            ),
        ]

    def __str__(self):
        return self.title


class Project(models.Model):
    """An association's project, from the first draft to the label."""

    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name="association",
    )
    state = models.CharField(
        "état", max_length=20, choices=ProjectState, default=ProjectState.DRAFT, db_index=True
    )
    # Routing: the contrat de ville of the commune, or none (coordinators' queue).
    city_contract = models.ForeignKey(
        CityContract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="contrat de ville",
    )
    edition = models.ForeignKey(
        Edition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="édition",
    )

    title = models.CharField("titre du projet", max_length=200)
    summary = models.TextField(
        "résumé",
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text="500 caractères au plus. C'est la présentation publique du projet.",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name="commune du projet",
    )
    qpvs = models.ManyToManyField(
        Qpv, blank=True, related_name="projects", verbose_name="quartiers concernés"
    )
    themes = ArrayField(
        models.CharField(max_length=20, choices=Theme),
        default=list,
        blank=True,
        verbose_name="thèmes",
    )
    need = models.TextField("le besoin dans le quartier", blank=True)
    innovation = models.TextField("ce qui est innovant", blank=True)
    involvement = models.TextField("l'implication des habitants", blank=True)
    target_public = models.TextField("le public visé", blank=True)
    expected_people = models.PositiveIntegerField(
        "nombre de personnes attendues", null=True, blank=True
    )
    partners = models.TextField("les partenaires", blank=True)
    calendar = models.TextField("le calendrier", blank=True)
    amount_requested = models.DecimalField(
        "montant demandé au label (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    # The chef de projet's readiness checklist.
    check_need_clear = models.BooleanField("le besoin est clair et documenté", default=False)
    check_budget_balanced = models.BooleanField(
        "le budget est équilibré et réaliste", default=False
    )
    check_partners_confirmed = models.BooleanField(
        "les partenaires ont confirmé leur participation", default=False
    )
    check_attachments_complete = models.BooleanField(
        "les pièces jointes sont complètes", default=False
    )

    # Technical review (recevabilité) by coordinators: the state says the
    # outcome, this keeps the reason of an ineligible dossier.
    review_comment = models.TextField("motif de l'examen", blank=True)

    version = models.PositiveIntegerField(default=1)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    proposed_at = models.DateTimeField("proposé le", null=True, blank=True)
    deposited_at = models.DateTimeField("déposé le", null=True, blank=True)

    class Meta:
        verbose_name = "projet"
        verbose_name_plural = "projets"
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["city_contract", "state"]),
            # The inbox lists the latest changes first, 20 at a time.
            models.Index(fields=["-updated_at"], name="project_latest_first"),
            # The inbox's search box (words of the title, accents ignored).
            search.contains_index("title", name="project_title_trgm"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("submissions:project_detail", args=[self.pk])

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels.get(theme, theme) for theme in self.themes]


class BudgetLine(models.Model):
    """One line of the provisional budget, in the CERFA 12156 shape."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    side = models.CharField("nature", max_length=10, choices=BudgetSide)
    account = models.CharField("compte", max_length=2, choices=BudgetAccount)
    funder = models.CharField(
        "financeur",
        max_length=20,
        choices=Funder,
        blank=True,
        help_text="Compte 74 seulement.",
    )
    label = models.CharField("libellé", max_length=200)
    amount = models.DecimalField(
        "montant (€)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["side", "account", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account="74", funder__gt="") | (~Q(account="74") & Q(funder="")),
                name="budgetline_funder_only_on_74",
                violation_error_message=(
                    "Le financeur se précise seulement pour une subvention (compte 74), "
                    "et il y est obligatoire."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.account} {self.label}"


class ProjectChange(models.Model):
    """Which member saved which section of the dossier, and when."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="changes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    section = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.project} — {self.section}"

    @property
    def section_label(self) -> str:
        extra = {"creation": "création du projet", "pieces": "pièces jointes"}
        if self.section in SECTIONS_BY_SLUG:
            return SECTIONS_BY_SLUG[self.section].title
        return extra.get(self.section, self.section)


class CoachingEntry(models.Model):
    """A dated note of the chef de projet's coaching."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="coaching_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField("type", max_length=20, choices=CoachingKind)
    happened_on = models.DateField("date")
    text = models.TextField("compte rendu")
    next_steps = models.TextField("prochaines étapes", blank=True)
    visibility = models.CharField(
        "visibilité", max_length=20, choices=Visibility, default=Visibility.INTERNAL
    )
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note d'accompagnement"
        verbose_name_plural = "notes d'accompagnement"
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.happened_on}"


class Message(models.Model):
    """A message of the thread between the association and its chef de projet."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField("message", validators=[MaxLengthValidator(5000)])
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class ThreadRead(models.Model):
    """When a person last read a project's thread."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="threadread_unique",
                violation_error_message="La lecture de ces messages est déjà notée.",
            ),
        ]

    def __str__(self):
        return f"{self.user} a lu {self.project} le {self.read_at}"


def attachment_path(instance, filename):
    # Never the name the person gave: a random one, with the checked extension.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{extension}"


def deposit_pdf_path(instance, filename):
    return f"deposits/{instance.edition.year}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A file attached to the dossier (statutes, budget, photos…)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("type de pièce", max_length=20, choices=AttachmentKind)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
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
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("submissions:attachment_download", args=[self.project_id, self.pk])


class DepositSnapshot(models.Model):
    """The dossier exactly as deposited: what the jury reads."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="snapshot")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="snapshots")
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    deposited_at = models.DateTimeField()
    pdf = models.FileField(
        storage=private_storage, upload_to=deposit_pdf_path, max_length=200, blank=True
    )
    pdf_generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dossier déposé"
        verbose_name_plural = "dossiers déposés"

    def __str__(self):
        return f"{self.project} ({self.edition})"

    @property
    def budget(self) -> list[dict]:
        """The frozen budget lines, each with the label of its side (« Charges », « Produits »).

        The frozen data keeps the side's value (``BudgetSide``); every page and PDF
        showing the dossier reads its label here instead of comparing strings.
        """
        return [
            {**line, "side_label": BudgetSide(line["side"]).label}
            for line in self.data.get("budget", [])
        ]
