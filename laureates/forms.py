"""Forms of the laureates stage: the card the public reads, the showcase's settings."""

from django import forms

from core.forms import BootstrapFormMixin, EuroAmountField
from laureates.models import Laureate, Showcase
from laureates.photos import check_photo
from laureates.services.cards import PHOTO_ALT_REQUIRED
from submissions.enums import Theme
from submissions.forms import QpvsByCommuneField, VersionedForm


class CardForm(BootstrapFormMixin, forms.ModelForm, VersionedForm):
    """The public card, written by the coordination with the association."""

    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text="JPEG, PNG ou WebP, 5 Mo au plus. Elle est réduite à 1 600 pixels de large "
        "et ses informations cachées (lieu, appareil) sont effacées.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label="Retirer la photo actuelle", required=False)
    themes = forms.MultipleChoiceField(
        label="Thèmes", choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    amount_granted = EuroAmountField(label="Montant accordé (€)", max_digits=9, required=False)

    class Meta:
        model = Laureate
        fields = [
            "title",
            "pitch",
            "description",
            "photo_alt",
            "commune",
            "qpvs",
            "themes",
            "amount_granted",
            "partners",
            "website",
            "show_progress",
        ]
        widgets = {
            "pitch": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "partners": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": "Le nom du projet tel que le public le lira.",
            "description": "Ce que le projet fait, pour qui, avec qui. Quelques paragraphes.",
            "photo_alt": "Obligatoire avec une photo : ce qu'elle montre, en une phrase "
            "(« Des enfants plantent des tomates dans le jardin partagé »).",
            "partners": "Les structures qui soutiennent le projet, une par ligne.",
            "website": "L'adresse du site ou de la page du projet, si elle existe.",
        }

    def __init__(self, *args, may_set_amount: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, not on the class: its choices read the territory from the database.
        self.fields["qpvs"] = QpvsByCommuneField(
            label="Quartiers prioritaires",
            help_text="Les quartiers de la commune du projet.",
            required=False,
        )
        if not may_set_amount:
            del self.fields["amount_granted"]
        if not (self.instance and self.instance.photo):
            del self.fields["remove_photo"]
        self.order_fields(
            [
                "title",
                "pitch",
                "description",
                "photo",
                "photo_alt",
                "remove_photo",
                "commune",
                "qpvs",
                "themes",
            ]
        )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            check_photo(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_photo = bool(cleaned.get("photo")) or (
            bool(self.instance.photo) and not cleaned.get("remove_photo")
        )
        if has_photo and not (cleaned.get("photo_alt") or "").strip():
            self.add_error("photo_alt", PHOTO_ALT_REQUIRED)
        return cleaned

    def card_data(self) -> dict:
        """What the service saves: every card field of the form but the photo."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"photo", "remove_photo", "version"}
        }


class ShowcaseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Showcase
        fields = ["intro", "show_amounts"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}
