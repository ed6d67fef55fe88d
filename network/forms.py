"""The network stage's forms."""

from typing import cast

from django import forms

from core.forms import BootstrapFormMixin, OnceFormMixin
from core.text import plural
from network import selectors
from network.models import Meeting, ProgrammeItem

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
