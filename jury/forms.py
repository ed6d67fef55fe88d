from django import forms

from core.forms import BootstrapFormMixin, EuroAmountField, OnceFormMixin
from jury.enums import Decision, JurorQuality
from jury.models import Criterion, JurySession


class CriterionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label", "guidance", "weight", "scale_max"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class SessionForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    def __init__(self, *args, president_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["president"].queryset = president_choices
        self.fields["president"].required = False

    class Meta:
        model = JurySession
        fields = ["edition", "title", "starts_at", "place", "video_url", "president"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class ConveneForm(OnceFormMixin):
    """The « Envoyer les convocations » button: its key makes a double click one sending."""


class JurorForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    quality = forms.ChoiceField(label="Qualité", choices=JurorQuality.choices)


class AuditionAddForm(BootstrapFormMixin, forms.Form):
    project = forms.ModelChoiceField(label="Projet retenu pour l'audition", queryset=None)
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", min_value=5, max_value=180, initial=20
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class AuditionTimingForm(BootstrapFormMixin, forms.Form):
    duration_minutes = forms.IntegerField(label="Durée (minutes)", min_value=5, max_value=180)
    break_after_minutes = forms.IntegerField(
        label="Pause après (minutes)", min_value=0, max_value=120
    )


class AttendanceReplyForm(BootstrapFormMixin, forms.Form):
    attending = forms.TypedChoiceField(
        label="Votre réponse",
        choices=[("yes", "Nous viendrons"), ("no", "Nous ne pourrons pas venir")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    presenters = forms.CharField(
        label="Qui présentera le projet ?",
        max_length=300,
        required=False,
        help_text="Prénoms et noms, 3 personnes au plus conseillées.",
    )


class DeclarationForm(BootstrapFormMixin, forms.Form):
    """One project's declaration; the page shows one per project (prefix = project id)."""

    choice = forms.ChoiceField(
        label="Déclaration",
        choices=[("none", "Aucun conflit d'intérêts"), ("conflict", "Conflit d'intérêts")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Nature du conflit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : membre du bureau de l'association, lien familial…",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == "conflict" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Indiquez la nature du conflit d'intérêts.")
        return cleaned


class EvaluationForm(BootstrapFormMixin, forms.Form):
    """A score and a comment per criterion, built from the edition's grid."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    general_comment = forms.CharField(
        label="Commentaire général", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label="Motif de la modification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour modifier une évaluation déjà soumise.",
    )

    def __init__(self, *args, criteria, amending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if not amending:
            del self.fields["reason"]
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=f"Note sur {criterion.scale_max}",
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "data-weight": str(criterion.weight),
                        "data-scale": str(criterion.scale_max),
                        "class": "form-control score-input",
                        "size": 4,
                    }
                ),
            )
            # Added after the mixin ran: give the class here.
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label="Commentaire",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"score_{criterion.pk}"], self[f"comment_{criterion.pk}"]

    def scores(self) -> dict[int, dict]:
        return {
            criterion.pk: {
                "value": self.cleaned_data.get(f"score_{criterion.pk}", ""),
                "comment": self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            }
            for criterion in self.criteria
        }


class ProposalForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Proposition", choices=Decision.choices, widget=forms.RadioSelect
    )
    amount = EuroAmountField(label="Montant proposé (€)", required=False, max_digits=10)
    justification = forms.CharField(label="Justification", widget=forms.Textarea(attrs={"rows": 3}))


class PresenceForm(BootstrapFormMixin, forms.Form):
    present = forms.MultipleChoiceField(
        label="Jurés présents", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), str(m.user)) for m in members]


class SessionCloseForm(BootstrapFormMixin, forms.Form):
    """The closing asks who was there: the attendance, or the absences confirmed.

    With no juror noted present, the attendance is asked here; with some
    noted absent, their absence must be confirmed by a checkbox naming them.
    """

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        present = [m for m in members if m.present]
        absent = [m for m in members if not m.present]
        self.asks_attendance = not present
        if self.asks_attendance:
            self.fields["present"] = forms.MultipleChoiceField(
                label="Jurés présents à la séance",
                help_text=(
                    "Aucune présence n'est encore notée. Cochez les jurés présents ; "
                    "les autres seront notés absents au procès-verbal."
                ),
                choices=[(str(m.pk), str(m.user)) for m in members],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": "Cochez au moins un juré présent : la séance a besoin de son jury."
                },
            )
        elif absent:
            self.fields["absences_confirmed"] = forms.BooleanField(
                label="Je confirme que ces jurés étaient absents : {names}.".format(
                    names=", ".join(str(m.user) for m in absent)
                ),
                error_messages={
                    "required": (
                        "Cochez la case pour confirmer ces absences, ou corrigez d'abord "
                        "les présences sur la page de délibération."
                    )
                },
            )

    def present_ids(self) -> set[int] | None:
        if not self.asks_attendance:
            return None
        return {int(value) for value in self.cleaned_data["present"]}
