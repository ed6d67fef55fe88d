"""The network's forms, one section per concern."""

from django import forms
from django.forms import inlineformset_factory

from accounts.models import Commune
from core.forms import BootstrapFormMixin, OnceFormMixin
from network.enums import RegistrationState
from network.models import Meeting, ProgrammeItem
from submissions.forms import VersionedForm

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
