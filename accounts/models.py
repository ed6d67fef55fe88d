from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AssociationKind
from accounts.validators import (
    normalize_identifier,
    validate_french_phone,
    validate_no_null_byte,
    validate_postcode,
    validate_rna,
    validate_siret,
)
from core import search


class CityContract(models.Model):
    """A contrat de ville of 2015-2023; its chef de projet coaches its projects."""

    code = models.CharField("code ANCT", max_length=12, unique=True)
    name = models.CharField("nom officiel", max_length=200)
    short_name = models.CharField("nom court", max_length=100)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    departement = models.CharField("département", max_length=3)
    period = models.CharField("période", max_length=20)
    communes_outside = models.CharField("communes hors territoire", max_length=200, blank=True)
    source = models.TextField("source", blank=True)
    officer_name = models.CharField("chef de projet", max_length=150, blank=True)
    officer_email = models.EmailField("e-mail du chef de projet", blank=True)
    officer_phone = models.CharField(
        "téléphone du chef de projet",
        max_length=20,
        blank=True,
        validators=[validate_french_phone],
    )

    class Meta:
        verbose_name = "contrat de ville"
        verbose_name_plural = "contrats de ville"
        ordering = ["departement", "short_name"]

    def __str__(self):
        return self.short_name


class Commune(models.Model):
    insee = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=100)
    departement = models.CharField("département", max_length=3)
    postcode = models.CharField("code postal", max_length=5)
    other_postcodes = models.CharField("autres codes postaux", max_length=50, blank=True)
    city_contract = models.ForeignKey(
        CityContract,
        verbose_name="contrat de ville",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
    )

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def postcodes(self) -> list[str]:
        return [self.postcode, *filter(None, self.other_postcodes.split(";"))]


class Qpv(models.Model):
    """A quartier prioritaire de la politique de la ville (2024 list)."""

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("nom", max_length=200)
    list_year = models.PositiveSmallIntegerField("liste")
    communes = models.ManyToManyField(Commune, verbose_name="communes", related_name="qpvs")
    communes_outside = models.CharField("communes hors territoire", max_length=200, blank=True)

    class Meta:
        verbose_name = "quartier prioritaire (QPV)"
        verbose_name_plural = "quartiers prioritaires (QPV)"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


# How every page, mail and PDF names a person whose account was erased (privacy.erasure).
ERASED_ACCOUNT_LABEL = "Compte supprimé"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_coordinator", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; signs in with an email address."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, validators=[validate_no_null_byte])
    last_name = models.CharField("nom", max_length=150, validators=[validate_no_null_byte])
    phone = models.CharField(
        "téléphone", max_length=20, blank=True, validators=[validate_french_phone]
    )
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)
    is_coordinator = models.BooleanField("coordination", default=False)
    is_juror = models.BooleanField("juré", default=False)
    officer_contract = models.ForeignKey(
        CityContract,
        verbose_name="chef de projet du contrat de ville",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officers",
    )
    email_confirmed_at = models.DateTimeField("e-mail confirmé le", null=True, blank=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    # Set by privacy.erasure: the row stays (projects, evaluations and the event log point to
    # it), emptied of everything personal, and the person is shown as « Compte supprimé ».
    erased_at = models.DateTimeField("compte supprimé le", null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_full_name(self):
        if self.is_erased:
            return ERASED_ACCOUNT_LABEL
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        if self.is_erased:
            return ERASED_ACCOUNT_LABEL
        return self.first_name or self.email


class Association(models.Model):
    """A structure that carries projects: an association, a collective of inhabitants…"""

    name = models.CharField("nom", max_length=200, validators=[validate_no_null_byte])
    kind = models.CharField(
        "type de structure",
        max_length=20,
        choices=AssociationKind,
        default=AssociationKind.ASSOCIATION,
    )
    rna = models.CharField(
        "numéro RNA",
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text="W suivi de 9 chiffres, sur le récépissé de la préfecture. Facultatif.",
    )
    siret = models.CharField(
        "numéro SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, sur l'avis de situation INSEE. Facultatif.",
    )
    address = models.CharField(
        "adresse", max_length=250, blank=True, validators=[validate_no_null_byte]
    )
    postcode = models.CharField(
        "code postal", max_length=5, blank=True, validators=[validate_postcode]
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        on_delete=models.PROTECT,
        related_name="associations",
    )
    qpvs = models.ManyToManyField(
        Qpv,
        verbose_name="quartiers où elle agit",
        blank=True,
        related_name="associations",
    )
    contact_email = models.EmailField("e-mail de contact", blank=True)
    contact_phone = models.CharField(
        "téléphone de contact", max_length=20, blank=True, validators=[validate_french_phone]
    )
    website = models.URLField("site web", blank=True)
    description = models.TextField(
        "présentation", blank=True, max_length=2000, validators=[validate_no_null_byte]
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="associations",
        verbose_name="membres",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "association"
        verbose_name_plural = "associations"
        ordering = ["name"]
        # The inbox's search box finds a project by its association's name too.
        indexes = [search.contains_index("name", name="association_name_trgm")]
        constraints = [
            models.UniqueConstraint(
                fields=["rna"],
                condition=~models.Q(rna=""),
                name="association_rna_unique",
                violation_error_message=(
                    "Ce numéro RNA est celui d'une association déjà inscrite sur le portail. "
                    "Demandez à un membre de l'association de vous inviter depuis son espace."
                ),
            ),
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="association_siret_unique",
                violation_error_message=(
                    "Ce numéro SIRET est celui d'une association déjà inscrite sur le portail. "
                    "Demandez à un membre de l'association de vous inviter depuis son espace."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:association_detail", args=[self.pk])

    def clean(self):
        self.rna = normalize_identifier(self.rna)
        self.siret = normalize_identifier(self.siret)
        self.postcode = (self.postcode or "").strip()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField("depuis le", auto_now_add=True)

    class Meta:
        verbose_name = "adhésion"
        verbose_name_plural = "adhésions"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association"],
                name="membership_unique",
                violation_error_message="Cette personne est déjà membre de l'association.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.association}"


class Invitation(models.Model):
    """A member's invitation for someone to join the association."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse e-mail")
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "association",
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_pending_unique",
                violation_error_message="Cette adresse a déjà une invitation de l'association qui attend une réponse.",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.association}"

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return (now - self.created_at).days >= settings.INVITATION_VALIDITY_DAYS
