"""Forms of the coordination tools."""

from typing import cast

from django import forms

from accounts.models import CityContract
from coordination import selectors
from coordination.exports import Dataset, Request
from core.forms import BootstrapFormMixin, FastSelect, OnceFormMixin
from submissions.models import Edition

# --- exports ------------------------------------------------------------------------------


class ExportForm(BootstrapFormMixin, OnceFormMixin, forms.Form):
    """One dataset's export: the edition, the columns (in the dataset's order), the format."""

    edition = forms.ModelChoiceField(
        label="Édition",
        queryset=selectors.editions(),
        required=False,
        empty_label="Toutes les éditions (et les projets pas encore déposés)",
    )
    columns = forms.MultipleChoiceField(
        label="Colonnes",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une colonne."},
    )
    private = forms.BooleanField(
        label="Inclure les commentaires des jurés (privés)",
        required=False,
        help_text="Les commentaires que les jurés ont écrits sur leurs évaluations. "
        "Ils ne sortent de l'outil que si vous cochez cette case.",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[("csv", "CSV (tableur, séparateur point-virgule)"), ("xlsx", "Excel (XLSX)")],
        initial="csv",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, dataset: Dataset, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        columns = cast(forms.MultipleChoiceField, self.fields["columns"])
        columns.choices = [(c.key, c.label) for c in dataset.columns]
        columns.initial = dataset.default_columns
        if dataset.private_column is None:
            del self.fields["private"]
        if dataset.needs_edition:
            edition = cast(forms.ModelChoiceField, self.fields["edition"])
            edition.required = True
            edition.empty_label = None
            edition.error_messages["required"] = "Choisissez l'édition."
            edition.initial = selectors.editions().values_list("pk", flat=True).first()

    def export_request(self) -> Request:
        data = self.cleaned_data
        return Request(
            dataset=self.dataset,
            edition=data["edition"],
            columns=tuple(c.key for c in self.dataset.chosen(data["columns"], private=False)),
            fmt=data["format"],
            private=bool(data.get("private")),
        )


# --- dashboard ---


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    """Which edition, and which contrat de ville, the dashboard shows (a GET form)."""

    edition = forms.TypedChoiceField(label="Édition", coerce=int, required=False, widget=FastSelect)
    contrat = forms.ModelChoiceField(
        label="Contrat de ville",
        queryset=CityContract.objects.none(),
        required=False,
        empty_label="Tout le territoire",
        widget=FastSelect,
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
