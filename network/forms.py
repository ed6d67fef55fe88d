"""The network's forms, one section per concern."""

from typing import cast

from django import forms

from accounts.models import Commune
from core.forms import BootstrapFormMixin, OnceFormMixin
from network.enums import Audience, MemberKind
from network.models import NetworkMember
from network.services.directory import COORDINATION_FIELDS, PROFILE_FIELDS
from submissions.enums import Theme

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
