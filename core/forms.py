"""Form helpers shared by every app."""

import copy
import re
import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_CSS_BY_WIDGET = {
    forms.CheckboxInput: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.CheckboxSelectMultiple: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


def _html_attrs(attrs: dict) -> str:
    """Django's ``attrs.html`` in Python: ``True`` alone, ``False`` left out, values escaped."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A ``<select>`` with Django's very markup, written in Python instead of a template.

    Django renders each ``<option>`` through two template includes: the
    24-commune picker was most of the home page's time. Use it for long lists
    of choices (communes, quarters, years); crispy renders it like any Select.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"']
        parts.append(_html_attrs(widget["attrs"]) + ">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_html_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every name, value and label above is escaped.
        return mark_safe("".join(parts))


class FastHiddenInput(forms.HiddenInput):
    """A hidden ``<input>`` with Django's very markup, written in Python instead of a template.

    Once-only keys are rendered on every visit of pages otherwise kept in the
    cache: three template includes each were a tenth of the project page's time.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = (
            ""
            if widget["value"] is None
            else f' value="{conditional_escape(str(widget["value"]))}"'
        )
        # The name, the value and the attributes are escaped.
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{shown}{_html_attrs(widget["attrs"])}>'
        )


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


class OnceFormMixin(forms.Form):
    """Carry a key drawn when the form is shown, so a double click creates one row.

    The service stores the key on the row it creates (a unique column) and
    returns the existing row when the same key comes back.
    """

    # No id: a page may carry several such forms, and a hidden input needs no label.
    submission_key = forms.UUIDField(
        widget=FastHiddenInput(attrs={"id": False}), initial=uuid.uuid4, required=False
    )

    def without_key(self):
        """This form without its key, for a page that keeps the form's markup in the cache.

        The key must be new on each visit: render ``form.submission_key`` in an
        ``{% uncached %}`` part of the fragment, beside ``form.without_key|crispy``.
        """
        form = copy.copy(self)
        form.fields = {
            name: field for name, field in self.fields.items() if name != "submission_key"
        }
        # Its own bound fields: those of the original include the key.
        vars(form)["_bound_fields_cache"] = {}
        return form


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
