"""The forms of the coordination's tools."""

from django import forms

from accounts.models import CityContract
from core.forms import BootstrapFormMixin
from submissions.models import Edition

# --- dashboard ---


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """Which edition, and which contrat de ville, the dashboard shows (a GET form)."""

    edition = forms.TypedChoiceField(label="Édition", coerce=int, required=False)
    contrat = forms.ModelChoiceField(
        label="Contrat de ville",
        queryset=CityContract.objects.none(),
        required=False,
        empty_label="Tout le territoire",
    )

    def __init__(self, *args, editions: list[Edition], contracts, choose_contract: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["edition"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(edition.year, str(edition.year)) for edition in editions]
        if choose_contract:
            contract_field = self.fields["contrat"]
            assert isinstance(contract_field, forms.ModelChoiceField)
            contract_field.queryset = contracts
        else:
            del self.fields["contrat"]
