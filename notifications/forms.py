"""The preferences form: one choice per kind of notification that concerns the person."""

from django import forms

from core.forms import BootstrapFormMixin, OnceFormMixin
from notifications.enums import Delivery
from notifications.kinds import Kind


class _Preferences(forms.Form):
    """A radio group per non-mandatory kind; mandatory kinds are shown, not asked."""

    def __init__(self, *args, rows: list[tuple[Kind, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.mandatory = [kind for kind, _ in rows if kind.mandatory]
        for kind, delivery in rows:
            if kind.mandatory:
                continue
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                initial=delivery,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choisissez comment recevoir : {kind.label}."},
            )


class PreferencesForm(BootstrapFormMixin, _Preferences):
    """The preferences, styled once their fields exist."""


class ComposeForm(OnceFormMixin, forms.Form):
    """Prepare one of the registered mailings (a double click makes one draft)."""

    composition = forms.CharField(widget=forms.HiddenInput)
