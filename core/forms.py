"""Form helpers shared by every app."""

import re
import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_CSS_BY_WIDGET = {
    forms.CheckboxInput: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.CheckboxSelectMultiple: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


class BootstrapFormMixin:
    """Give every widget its Bootstrap class."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in _CSS_BY_WIDGET.items() if isinstance(widget, kind)),
                "form-control",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python: the markup of Django's, without a template per option.

    Django renders every ``<option>`` through a template of its own: the 36
    quartiers and 24 communes of a filter cost more than the rest of a page.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Safe: every part went through format_html, which escapes what it is given.
        return mark_safe("".join(parts))


def plain_selects(form: forms.BaseForm) -> None:
    """Render the form's single-choice lists with ``PlainSelect`` (same choices, same attributes)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            plain = PlainSelect(attrs=widget.attrs, choices=widget.choices)
            plain.is_required = widget.is_required
            field.widget = plain


class OnceFormMixin(forms.Form):
    """Carry a key drawn when the form is shown, so a double click creates one row.

    The service stores the key on the row it creates (a unique column) and
    returns the existing row when the same key comes back.
    """

    # No id: a page may carry several such forms, and a hidden input needs no label.
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput(attrs={"id": False}), initial=uuid.uuid4, required=False
    )


class EuroAmountField(forms.DecimalField):
    """An amount in euros typed as people write it: "1 500,50 €" or "1500.50"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        # Shown back the French way, without thousands separators.
        prepared = super().prepare_value(value)
        if isinstance(prepared, Decimal):
            return f"{prepared:.2f}".replace(".", ",")
        return prepared


def flash_errors(request, error) -> None:
    """Tell the person why a service refused, as error messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def attach_errors(form, error) -> None:
    """Show a service's ValidationError on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class TransitionForm(BootstrapFormMixin, forms.Form):
    """The comment, or the reason a move needs, on a workflow move's confirmation page."""

    comment = forms.CharField(
        label="Commentaire ou motif", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, needs_comment: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_comment:
            comment = self.fields["comment"]
            comment.label = "Motif"
            comment.required = True
            comment.error_messages["required"] = "Indiquez le motif."
            comment.help_text = "Il est envoyé à l'association avec la décision."
