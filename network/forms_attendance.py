"""The check-in page's one field: a check-in code or a name."""

from django import forms

from core.forms import BootstrapFormMixin
from network.services.attendance import normalise_checkin_code


class CheckinSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label="Code d'émargement ou nom",
        max_length=100,
        required=False,
        help_text="Le code sous le code QR (par exemple 7KQ4-M2XP : majuscules, minuscules et "
        "tiret au choix), ou une partie du nom, du prénom ou de la structure.",
        widget=forms.SearchInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "enterkeyhint": "search",
            }
        ),
    )

    def code(self) -> str | None:
        """The check-in code typed, or None when the text is a name to search."""
        return normalise_checkin_code(self.cleaned_data.get("q", ""))
