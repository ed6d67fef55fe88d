"""The network's forms, one section per concern."""

from typing import cast

from django import forms
from django.forms import inlineformset_factory

from accounts.models import Commune
from core.forms import BootstrapFormMixin, OnceFormMixin
from core.text import plural
from network import selectors
from network.enums import Audience, MemberKind, RegistrationState
from network.models import Meeting, NetworkMember, ProgrammeItem
from network.services.directory import COORDINATION_FIELDS, PROFILE_FIELDS
from submissions.enums import Theme
from submissions.forms import VersionedForm

# --- Annuaire ------------------------------------------------------------------------------

AUDIENCE_LABELS = {
    "description_audience": "Qui voit la présentation ?",
    "place_audience": "Qui voit les communes ?",
    "themes_audience": "Qui voit les thèmes ?",
    "website_audience": "Qui voit le site web ?",
    "contact_audience": "Qui voit le contact (nom, e-mail, téléphone) ?",
    "projects_audience": "Qui voit vos projets lauréats ?",
}

# Each piece, then who sees it: the form reads as pairs.
FIELD_ORDER = [
    "name",
    "kind",
    "is_active",
    "listed",
    "description",
    "description_audience",
    "commune",
    "communes",
    "place_audience",
    "themes",
    "themes_audience",
    "website",
    "website_audience",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_audience",
    "projects_audience",
]


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    """A member's profile and, piece by piece, who sees it; the coordination also names the
    member, sets its type and deactivates it (``coordination=True``)."""

    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    communes = forms.ModelMultipleChoiceField(
        label="Communes où la structure agit",
        queryset=Commune.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NetworkMember
        fields = FIELD_ORDER
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            **{name: forms.RadioSelect for name in AUDIENCE_LABELS},
        }
        labels = {
            **AUDIENCE_LABELS,
            "commune": "Commune du siège",
            "listed": "Paraître dans l'annuaire public",
        }
        help_texts = {
            "contact_name": "Une personne que les autres acteurs peuvent joindre.",
            "website": "L'adresse commence par https://",
        }

    def __init__(self, *args, coordination: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Commune.objects.order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["communes"]).queryset = communes
        commune = cast(forms.ModelChoiceField, self.fields["commune"])
        commune.queryset = communes
        commune.empty_label = "Aucune (hors du territoire)"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        if not coordination:
            for name in COORDINATION_FIELDS:
                del self.fields[name]
        else:
            kind = cast(forms.ChoiceField, self.fields["kind"])
            if self.instance.pk and self.instance.kind == MemberKind.LAUREATE:
                # A laureate association stays one: the sync with the laureates keeps it.
                del self.fields["kind"]
            else:
                kind.choices = [c for c in MemberKind.choices if c[0] != MemberKind.LAUREATE]

    def profile_data(self) -> dict:
        """The cleaned values the service saves (no field the form did not show)."""
        allowed = set(PROFILE_FIELDS) | set(COORDINATION_FIELDS)
        return {name: value for name, value in self.cleaned_data.items() if name in allowed}


class ProfileEditForm(ProfileForm, VersionedForm):
    """The same form on a saved profile: it carries the version it was opened on."""


class MemberAddForm(OnceFormMixin, ProfileForm):
    """The coordination adds an actor that is not a laureate association."""

    def __init__(self, *args, **kwargs):
        kwargs["coordination"] = True
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


def audience_preview(member: NetworkMember) -> list[str]:
    """What each audience reads of a profile, in sentences: the form's preview."""
    pieces = [
        ("description_audience", "la présentation"),
        ("place_audience", "les communes"),
        ("themes_audience", "les thèmes"),
        ("website_audience", "le site web"),
        ("contact_audience", "le contact"),
        ("projects_audience", "les projets lauréats"),
    ]
    by_audience: dict[str, list[str]] = {audience: [] for audience in Audience.values}
    for field, label in pieces:
        by_audience[getattr(member, field)].append(label)
    public = ["le nom", *by_audience[Audience.PUBLIC]]
    if member.listed:
        sentences = [f"Le public voit : {', '.join(public)}."]
        if by_audience[Audience.MEMBERS]:
            members = ", ".join(by_audience[Audience.MEMBERS])
            sentences.append(f"Les membres du réseau connectés voient en plus : {members}.")
    else:
        sentences = [
            "Le public ne voit rien : la structure n'apparaît pas dans l'annuaire public.",
            "Les membres du réseau connectés voient : "
            f"{', '.join(public + by_audience[Audience.MEMBERS])}.",
        ]
    if by_audience[Audience.HIDDEN]:
        hidden = ", ".join(by_audience[Audience.HIDDEN])
        sentences.append(f"Personne ne voit (hors la coordination) : {hidden}.")
    return sentences


# --- Rencontres ---------------------------------------------------------------------------

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_input() -> forms.DateTimeInput:
    # A native field: a date picker on phones, no JavaScript of ours.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class MeetingForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    """The meeting's page: when, where, how many seats, the registration's questions."""

    class Meta:
        model = Meeting
        fields = [
            "title",
            "year",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "commune",
            "access_notes",
            "intro",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "ask_dietary",
            "ask_accessibility",
            "ask_workshop",
            "material",
        ]
        labels = {
            "starts_at": "Début (date et heure)",
            "ends_at": "Fin (date et heure)",
            "place_name": "Nom du lieu",
        }
        help_texts = {
            "starts_at": "Heure de Paris. Exemple : 12/06/2027 09:30.",
            "ends_at": "Le même jour que le début.",
            "capacity": "Au-delà, les personnes sont inscrites sur la liste d'attente.",
            "registration_closes_at": "Avant le début de la rencontre.",
            "material": (
                "Après la rencontre : les liens vers les supports et le compte rendu, "
                "en texte simple."
            ),
        }
        widgets = {
            "starts_at": _datetime_input(),
            "ends_at": _datetime_input(),
            "registration_opens_at": _datetime_input(),
            "registration_closes_at": _datetime_input(),
            "intro": forms.Textarea(attrs={"rows": 4}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
            "material": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "capacity": {"min_value": "Indiquez au moins une place."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.order_by("name")
        self.fields["commune"].empty_label = "Choisissez la commune"
        self.fields["year"].widget.attrs.update({"min": 2020, "max": 2100})
        self.fields["capacity"].widget.attrs["min"] = 1
        if self.instance.pk is None:
            # The material is written after the meeting.
            del self.fields["material"]


class MeetingEditForm(MeetingForm, VersionedForm):
    """The same form on a saved meeting: it carries the version it was opened on."""


class ProgrammeItemForm(BootstrapFormMixin, forms.ModelForm):
    workshop_capacity = forms.IntegerField(
        label="Places de l'atelier",
        required=False,
        min_value=1,
        help_text="Facultatif : vide, l'atelier n'a pas de limite.",
        error_messages={"min_value": "Indiquez au moins une place, ou videz le champ."},
    )

    class Meta:
        model = ProgrammeItem
        fields = [
            "starts_at",
            "ends_at",
            "title",
            "description",
            "speakers",
            "is_workshop",
            "workshop_capacity",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


# No JavaScript: three empty rows to fill, a box to tick to delete a row.
ProgrammeFormSet = inlineformset_factory(
    Meeting,
    ProgrammeItem,
    form=ProgrammeItemForm,
    extra=3,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


class RegistrationFilterForm(BootstrapFormMixin, forms.Form):
    """The coordination's filters on a meeting's registrations."""

    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *RegistrationState.choices],
    )
    besoins = forms.BooleanField(label="Seulement les besoins déclarés", required=False)
    atelier = forms.ModelChoiceField(
        label="Atelier", required=False, queryset=None, empty_label="Tous les ateliers"
    )

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["atelier"].queryset = workshops


# --- Inscription ---------------------------------------------------------------------------


class WorkshopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgrammeItem) -> str:
        label = f"{obj.starts_at:%H} h {obj.starts_at:%M} : {obj.title}"
        if obj.workshop_capacity is None:
            return label
        left = max(obj.workshop_capacity - getattr(obj, "taken", 0), 0)
        return (
            f"{label} (complet)"
            if not left
            else f"{label} ({left} {plural(left, 'place restante', 'places restantes')})"
        )


class RegistrationForm(BootstrapFormMixin, OnceFormMixin, forms.Form):
    """Register to a meeting: a visitor types who they are; a signed-in person only answers
    the meeting's optional questions (name and address come from the account)."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Vous y recevrez un lien pour confirmer l'inscription, puis l'invitation.",
        error_messages={
            "invalid": (
                "Cette adresse e-mail n'est pas complète : elle s'écrit par exemple "
                "prenom.nom@exemple.fr."
            )
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label="Association ou structure",
        max_length=200,
        required=False,
        help_text="Facultatif. Laissez vide si vous venez à titre personnel.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    dietary_needs = forms.CharField(
        label="Régime alimentaire",
        max_length=300,
        required=False,
        help_text="Facultatif : végétarien, sans porc, allergie…",
    )
    accessibility_needs = forms.CharField(
        label="Besoins d'accessibilité",
        max_length=300,
        required=False,
        help_text="Facultatif : fauteuil roulant, interprète en langue des signes, boucle "
        "magnétique…",
    )
    workshop = WorkshopChoiceField(
        label="Atelier choisi",
        queryset=ProgrammeItem.objects.none(),
        required=False,
        empty_label="Je choisirai sur place",
        blank=True,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, meeting: Meeting, signed_in: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if signed_in:
            for name in ("first_name", "last_name", "email"):
                del self.fields[name]
        if not meeting.ask_dietary:
            del self.fields["dietary_needs"]
        if not meeting.ask_accessibility:
            del self.fields["accessibility_needs"]
        if meeting.ask_workshop:
            workshop = cast(forms.ModelChoiceField, self.fields["workshop"])
            workshop.queryset = selectors.workshops_of(meeting)
        else:
            del self.fields["workshop"]

    def answers(self) -> dict:
        """The cleaned answers, as ``services.registration.register`` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if value is not None}
