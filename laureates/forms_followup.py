"""Forms of a laureate's follow-up: the agreement (coordination), milestones and reports."""

import django_filters
from django import forms

from core.forms import BootstrapFormMixin, EuroAmountField, OnceFormMixin
from laureates.enums import MilestoneStatus
from laureates.models import FundingTranche, Milestone, Report
from submissions.models import Edition
from submissions.uploads import ALLOWED

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)


class TrancheForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    amount = EuroAmountField(label="Montant (€)", min_value=0.01)

    class Meta:
        model = FundingTranche
        fields = ["amount", "due_on", "condition", "paid_on"]
        widgets = {"due_on": DATE, "paid_on": DATE}
        help_texts = {"paid_on": "Laissez vide tant que la tranche n'est pas versée."}


class MilestoneForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    class Meta:
        model = Milestone
        fields = ["title", "planned_on", "note"]
        widgets = {"planned_on": DATE}


class ReportScheduleForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    class Meta:
        model = Report
        fields = ["kind", "due_on"]
        widgets = {"due_on": DATE}


# The form of each part of the agreement, by the word its URLs use.
AGREEMENT_FORMS = {"tranches": TrancheForm, "etapes": MilestoneForm, "bilans": ReportScheduleForm}


class MilestoneStatusForm(BootstrapFormMixin, forms.Form):
    """One small form per milestone: where the step stands, and a word about it."""

    status = forms.ChoiceField(label="Avancement", choices=MilestoneStatus.choices)
    note = forms.CharField(
        label="Commentaire", max_length=500, required=False, help_text="Facultatif."
    )


class ReportForm(BootstrapFormMixin, OnceFormMixin):
    text = forms.CharField(
        label="Votre bilan",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Ce qui a été fait, avec qui, pour combien d'habitants ; ce qui a changé dans "
            "le quartier ; les difficultés. Vous pouvez enregistrer et revenir plus tard."
        ),
    )
    file = forms.FileField(
        label="Ajouter une pièce jointe",
        required=False,
        help_text="Photos, feuilles d'émargement, comptes… PDF, image, ODT, ODS, DOCX ou "
        "XLSX ; 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class OverviewFilterForm(BootstrapFormMixin, forms.Form):
    pass


class OverviewFilter(django_filters.FilterSet):
    edition = django_filters.ModelChoiceFilter(
        label="Édition", queryset=Edition.objects.none(), empty_label="Toutes"
    )
    late = django_filters.BooleanFilter(
        label="En retard seulement", method="filter_late", widget=forms.CheckboxInput
    )

    class Meta:
        form = OverviewFilterForm
        fields = []

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["edition"].queryset = editions

    def filter_late(self, queryset, name, value):
        return queryset.filter(oldest_late__isnull=False) if value else queryset
