"""The network of innovation actors in the QPVs, and its annual meeting (DESIGN.md, « Réseau »).

Every laureate association is a member of the network; the coordination adds
the other actors (partners, structures, chefs de projet). A member chooses,
piece by piece, who may read its profile (``Audience``): nothing personal is
public unless the member says so.

Each year the network meets once (the *rencontre annuelle*): a ``Meeting``
with its programme (``ProgrammeItem``), a capacity and a registration window.
A ``Registration`` holds a seat, waits on the waitlist, or waits for its
e-mail address to be confirmed; its moves are the REGISTRATION workflow.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import Association, Commune, validate_no_null_byte
from core.codes import readable_code
from laureates.models import Laureate
from network.enums import (
    ACTIVE_STATES,
    SEATED_STATES,
    Audience,
    MeetingState,
    MemberKind,
    NoticeKind,
    RegistrationState,
)
from submissions.enums import Theme


def audience_field(label: str, default: str = Audience.PUBLIC) -> models.CharField:
    return models.CharField(f"qui voit : {label}", max_length=10, choices=Audience, default=default)


class NetworkMember(models.Model):
    """An actor of innovation in the QPVs, as the network directory shows it."""

    kind = models.CharField("type", max_length=20, choices=MemberKind, default=MemberKind.PARTNER)
    # A laureate association's profile is the association's; other actors have none.
    association = models.OneToOneField(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_member",
        verbose_name="association",
    )
    # The laureate projects of an association imported from the archives (no account),
    # or of the association: kept by network.services.directory.sync_laureate_members.
    laureates = models.ManyToManyField(
        Laureate, blank=True, related_name="network_members", verbose_name="projets lauréats"
    )
    name = models.CharField("nom", max_length=200, validators=[validate_no_null_byte])
    slug = models.SlugField("adresse", max_length=120, unique=True)
    description = models.TextField(
        "présentation", blank=True, help_text="Ce que fait la structure, en quelques lignes."
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_members",
        verbose_name="commune",
    )
    communes = models.ManyToManyField(
        Commune,
        blank=True,
        related_name="network_members_acting",
        verbose_name="communes où la structure agit",
    )
    themes = ArrayField(
        models.CharField(max_length=20, choices=Theme),
        default=list,
        blank=True,
        verbose_name="thèmes",
    )
    website = models.URLField("site web", blank=True)
    contact_name = models.CharField("personne à contacter", max_length=150, blank=True)
    contact_email = models.EmailField("e-mail de contact", blank=True)
    contact_phone = models.CharField("téléphone de contact", max_length=30, blank=True)

    # Who reads what: the member's choice. The contact is a person: hidden by default.
    listed = models.BooleanField(
        "paraître dans l'annuaire public",
        default=True,
        help_text="Décochez pour n'apparaître qu'aux membres du réseau connectés.",
    )
    description_audience = audience_field("la présentation")
    place_audience = audience_field("la commune et le lieu d'action")
    themes_audience = audience_field("les thèmes")
    website_audience = audience_field("le site web")
    contact_audience = audience_field("le contact", default=Audience.HIDDEN)
    projects_audience = audience_field("les projets lauréats")

    is_active = models.BooleanField("membre actif", default=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Bumped at every save of the profile (core.stale): the association and the coordination
    # may edit it at once; an edit based on an older version is refused, nothing is lost.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="modifié par",
    )
    created_at = models.DateTimeField("ajouté le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    # The coordination's « add an actor » form sent twice makes one member (core.once).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "membre du réseau"
        verbose_name_plural = "membres du réseau"
        ordering = ["name", "pk"]
        indexes = [models.Index(Lower("name"), name="network_member_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:member", kwargs={"slug": self.slug})


class Meeting(models.Model):
    """One annual meeting of the network: when, where, what, and how many seats."""

    title = models.CharField("titre", max_length=200, validators=[validate_no_null_byte])
    slug = models.SlugField("adresse", max_length=120, unique=True)
    year = models.PositiveSmallIntegerField("année")
    state = models.CharField(
        "état", max_length=20, choices=MeetingState, default=MeetingState.DRAFT
    )
    intro = models.TextField("présentation", blank=True)
    starts_at = models.DateTimeField("début", help_text="Heure de Paris.")
    ends_at = models.DateTimeField("fin", help_text="Heure de Paris.")
    place_name = models.CharField("lieu", max_length=200)
    address = models.CharField("adresse", max_length=250)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name="commune",
    )
    access_notes = models.TextField(
        "accès",
        blank=True,
        help_text="Transports, accessibilité du lieu, stationnement…",
    )
    capacity = models.PositiveIntegerField("nombre de places", validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField("ouverture des inscriptions")
    registration_closes_at = models.DateTimeField("clôture des inscriptions")
    # The optional questions of the registration form.
    ask_dietary = models.BooleanField("demander le régime alimentaire", default=False)
    ask_accessibility = models.BooleanField("demander les besoins d'accessibilité", default=False)
    ask_workshop = models.BooleanField(
        "demander le choix d'atelier",
        default=False,
        help_text="Les ateliers sont les points du programme marqués « atelier ».",
    )
    material = models.TextField(
        "supports et compte rendu",
        blank=True,
        help_text="Envoyés aux participants après la rencontre et publiés sur sa page.",
    )
    cancel_reason = models.TextField("motif d'annulation", blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)
    # The creation form's key (core.once): the same form sent twice creates one meeting.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Bumped at every save of the form (core.stale): an edit based on an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="modifiée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "rencontre annuelle"
        verbose_name_plural = "rencontres annuelles"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="La rencontre doit finir après son début.",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="meeting_registration_window",
                violation_error_message=("La clôture des inscriptions doit suivre leur ouverture."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("network:meeting", kwargs={"slug": self.slug})

    def clean(self):
        """The dates of a meeting: one day, its registration closing before it starts."""
        errors = {}
        starts, ends = self.starts_at, self.ends_at
        if starts and ends:
            if ends <= starts:
                errors["ends_at"] = "La fin doit suivre le début de la rencontre."
            elif timezone.localdate(ends) != timezone.localdate(starts):
                errors["ends_at"] = (
                    "La rencontre se tient sur une journée : elle finit le jour de son début."
                )
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = (
                "La clôture des inscriptions doit suivre leur ouverture."
            )
        elif closes and starts and closes > starts:
            errors["registration_closes_at"] = (
                "Les inscriptions doivent fermer avant le début de la rencontre."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.state == MeetingState.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()


class ProgrammeItem(models.Model):
    """A time slot of a meeting's programme, with its speakers; a workshop may be chosen."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="programme", verbose_name="rencontre"
    )
    starts_at = models.TimeField("début")
    ends_at = models.TimeField("fin", null=True, blank=True)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    speakers = models.CharField("intervenants", max_length=300, blank=True)
    is_workshop = models.BooleanField(
        "atelier au choix",
        default=False,
        help_text="Les inscrits peuvent choisir cet atelier.",
    )
    workshop_capacity = models.PositiveIntegerField("places de l'atelier", null=True, blank=True)

    class Meta:
        verbose_name = "point du programme"
        verbose_name_plural = "programme"
        ordering = ["meeting", "starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"

    def clean(self):
        """A slot ends after it starts, within the meeting's hours; only a workshop has places."""
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "La fin doit suivre le début de ce point du programme."
        # The meeting being edited, with the hours typed in the same form.
        meeting = getattr(self, "meeting", None)
        if meeting is not None and meeting.starts_at and meeting.ends_at and self.starts_at:
            opens = timezone.localtime(meeting.starts_at).time()
            closes = timezone.localtime(meeting.ends_at).time()
            hours = f"de {opens:%H:%M} à {closes:%H:%M}"
            if not opens <= self.starts_at < closes:
                errors["starts_at"] = f"Ce point doit commencer pendant la rencontre ({hours})."
            elif self.ends_at and self.ends_at > closes:
                errors.setdefault(
                    "ends_at", f"Ce point doit finir avant la fin de la rencontre ({hours})."
                )
        if self.workshop_capacity is not None and not self.is_workshop:
            errors["workshop_capacity"] = (
                "Seul un atelier au choix a des places : cochez « atelier au choix » "
                "ou videz ce champ."
            )
        if errors:
            raise ValidationError(errors)


def new_checkin_code() -> str:
    """The code under the QR code, typed at the door when the camera fails: « 7KQ4-M2XP »."""
    return readable_code(2)


class Registration(models.Model):
    """One person's registration to a meeting, with or without an account."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="registrations", verbose_name="rencontre"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name="compte",
    )
    first_name = models.CharField("prénom", max_length=150, validators=[validate_no_null_byte])
    last_name = models.CharField("nom", max_length=150, validators=[validate_no_null_byte])
    email = models.EmailField("adresse e-mail")
    organisation = models.CharField(
        "structure", max_length=200, blank=True, validators=[validate_no_null_byte]
    )
    state = models.CharField(
        "état", max_length=20, choices=RegistrationState, default=RegistrationState.REGISTERED
    )
    dietary_needs = models.CharField("régime alimentaire", max_length=300, blank=True)
    accessibility_needs = models.CharField("besoins d'accessibilité", max_length=300, blank=True)
    workshop = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name="atelier choisi",
    )
    checkin_code = models.CharField(
        "code d'émargement", max_length=9, default=new_checkin_code, editable=False
    )
    # The form's once-only key (core.once): a double click on « S'inscrire » makes one row.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    # When the address was confirmed (a signed-in person's at once).
    confirmed_at = models.DateTimeField("adresse confirmée le", null=True, blank=True)
    # The waitlist's order: first come, first promoted.
    waitlisted_at = models.DateTimeField("en liste d'attente depuis", null=True, blank=True)
    attended_at = models.DateTimeField("présence notée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["meeting", Lower("last_name"), Lower("first_name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                "meeting",
                Lower("email"),
                name="registration_one_per_email",
                violation_error_message="Cette adresse e-mail est déjà inscrite à la rencontre.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "checkin_code"],
                name="registration_checkin_code_unique",
                violation_error_message="Ce code d'émargement est déjà pris pour la rencontre.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["meeting", "state", "waitlisted_at"], name="registration_queue_idx"
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} — {self.meeting}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_seat(self) -> bool:
        return self.state in SEATED_STATES

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_waitlisted(self) -> bool:
        return self.state == RegistrationState.WAITLISTED

    @property
    def has_attended(self) -> bool:
        return self.state == RegistrationState.ATTENDED


class RegistrationNotice(models.Model):
    """A scheduled mail sent to one registration: the record that makes the job idempotent."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("mail", max_length=20, choices=NoticeKind)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "mail programmé envoyé"
        verbose_name_plural = "mails programmés envoyés"
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                name="registration_notice_once",
                violation_error_message="Ce mail a déjà été envoyé à cette inscription.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.registration}"
