from django import forms
from django.db.models import Prefetch
from django.forms import formset_factory
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from accounts.models import CityContract, Commune, Qpv
from core.forms import BootstrapFormMixin, EuroAmountField, OnceFormMixin
from submissions.enums import (
    CHARGE_ACCOUNTS,
    AttachmentKind,
    BudgetAccount,
    BudgetSide,
    Funder,
    Theme,
)
from submissions.models import CoachingEntry, Edition, Project
from submissions.sections import SECTIONS_BY_SLUG


class ProjectCreateForm(BootstrapFormMixin, OnceFormMixin):
    title = forms.CharField(label="Titre du projet", max_length=200)
    association = forms.ModelChoiceField(label="Association", queryset=None, empty_label=None)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        only = list(associations[:2])
        if len(only) == 1:
            self.fields["association"].widget = forms.HiddenInput()
            self.fields["association"].initial = only[0].pk


class VersionedForm(forms.Form):
    """Carries the version of the dossier the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput)


SECTION_WIDGETS = {
    "summary": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
    "need": forms.Textarea(attrs={"rows": 6}),
    "innovation": forms.Textarea(attrs={"rows": 6}),
    "involvement": forms.Textarea(attrs={"rows": 5}),
    "target_public": forms.Textarea(attrs={"rows": 3}),
    "partners": forms.Textarea(attrs={"rows": 5}),
    "calendar": forms.Textarea(attrs={"rows": 5}),
}

SECTION_HELP = {
    "need": "Ce qui manque aujourd'hui dans le quartier, et comment vous le savez.",
    "innovation": "Ce que votre projet fait de nouveau, ici ou dans sa manière de faire.",
    "involvement": "Comment les habitants décident, participent, animent.",
    "partners": "Les structures qui vous aident : nom, rôle, s'il est confirmé.",
    "calendar": "Les grandes étapes et leurs dates, même approximatives.",
}


class _QpvsByCommune:
    """The QPV choices grouped by commune, read when the form is shown.

    A QPV spread over two communes is offered under each of them.
    """

    def __iter__(self):
        communes = (
            Commune.objects.filter(qpvs__isnull=False)
            .distinct()
            .order_by("name")
            .prefetch_related(Prefetch("qpvs", queryset=Qpv.objects.order_by("name")))
        )
        for commune in communes:
            yield commune, [(qpv.pk, str(qpv)) for qpv in commune.qpvs.all()]


class QpvsByCommuneWidget(forms.CheckboxSelectMultiple):
    """One fieldset of checkboxes per commune; static/js/qpv-commune.js shows the chosen one."""

    template_name = "submissions/widgets/qpvs_by_commune.html"

    def _render(self, template_name, context, renderer=None):
        # The portal's own templates folder, which the default form renderer does not read.
        return mark_safe(render_to_string(template_name, context))


class QpvsByCommuneField(forms.ModelMultipleChoiceField):
    widget = QpvsByCommuneWidget

    def __init__(self, **kwargs):
        super().__init__(queryset=Qpv.objects.order_by("name"), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        # Validation reads the queryset; only the widget shows the groups.
        self.widget.choices = _QpvsByCommune()

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)


def section_form_class(slug: str):
    """Build the form of one section from the model's fields."""
    fields = [name for name in SECTIONS_BY_SLUG[slug].fields if name != "amount_requested"]
    attrs = {}
    if "qpvs" in fields:
        attrs["qpvs"] = QpvsByCommuneField(
            label="Quartiers prioritaires concernés",
            help_text="Les quartiers de la commune du projet.",
            required=False,
        )
    if "themes" in fields:
        attrs["themes"] = forms.MultipleChoiceField(
            label="Thèmes",
            choices=Theme.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    meta = type(
        "Meta",
        (),
        {
            "model": Project,
            "fields": fields,
            "widgets": {name: w for name, w in SECTION_WIDGETS.items() if name in fields},
            "help_texts": {name: h for name, h in SECTION_HELP.items() if name in fields},
        },
    )
    form_class = type(
        f"{slug.title()}SectionForm",
        (BootstrapFormMixin, forms.ModelForm, VersionedForm),
        {"Meta": meta, **attrs},
    )
    return form_class


class BudgetLineForm(BootstrapFormMixin, forms.Form):
    account = forms.ChoiceField(label="Compte", choices=[("", "—"), *BudgetAccount.choices])
    funder = forms.ChoiceField(
        label="Financeur (compte 74)", choices=[("", "—"), *Funder.choices], required=False
    )
    label = forms.CharField(label="Libellé", max_length=200)
    amount = EuroAmountField(label="Montant (€)", max_digits=10)

    def clean(self):
        cleaned = super().clean()
        account, funder = cleaned.get("account"), cleaned.get("funder")
        if account == "74" and not funder:
            self.add_error("funder", "Pour une subvention (compte 74), choisissez le financeur.")
        if account and account != "74" and funder:
            self.add_error("funder", "Le financeur ne se choisit que pour le compte 74.")
        if account:
            cleaned["side"] = BudgetSide.CHARGE if account in CHARGE_ACCOUNTS else BudgetSide.INCOME
        return cleaned


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=3, can_delete=True, max_num=60)


class BudgetForm(BootstrapFormMixin, VersionedForm):
    amount_requested = EuroAmountField(
        label="Montant demandé au label (€)",
        max_digits=10,
        required=False,
        help_text="Il figure aussi dans les produits, compte 74, financeur « EPT ».",
    )


class MessageForm(BootstrapFormMixin, OnceFormMixin):
    body = forms.CharField(
        label="Votre message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="5 000 caractères au plus.",
    )


class CoachingEntryForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    class Meta:
        model = CoachingEntry
        fields = ["kind", "happened_on", "text", "next_steps", "visibility"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
            "visibility": forms.RadioSelect,
        }


class ChecklistForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "check_need_clear",
            "check_budget_balanced",
            "check_partners_confirmed",
            "check_attachments_complete",
        ]


class AssignForm(BootstrapFormMixin, forms.Form):
    city_contract = forms.ModelChoiceField(
        label="Contrat de ville", queryset=CityContract.objects.all()
    )


class EditionForm(BootstrapFormMixin, forms.ModelForm):
    budget_envelope = EuroAmountField(label="Enveloppe budgétaire (€)")

    class Meta:
        model = Edition
        fields = [
            "year",
            "title",
            "opens_on",
            "deposit_deadline",
            "jury_starts_on",
            "jury_ends_on",
            "results_on",
            "budget_envelope",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deposit_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "jury_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "jury_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "results_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class AttachmentForm(BootstrapFormMixin, OnceFormMixin):
    kind = forms.ChoiceField(label="Type de pièce", choices=AttachmentKind.choices)
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, image, ODT, ODS, DOCX ou XLSX ; 10 Mo au plus.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.odt,.ods,.docx,.xlsx"}
        ),
    )
