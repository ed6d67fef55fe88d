import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from core.forms import BootstrapFormMixin, EuroAmountField, PlainSelect, plain_selects


class AmountForm(forms.Form):
    amount = EuroAmountField()


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1500", Decimal("1500")),
        ("1500,50", Decimal("1500.50")),
        ("1 500,50 €", Decimal("1500.50")),
        ("1\u00a0500.5", Decimal("1500.5")),
    ],
)
def test_euro_amount_accepts_what_people_type(typed, value):
    form = AmountForm({"amount": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == value


def test_euro_amount_refuses_words_in_french():
    form = AmountForm({"amount": "mille euros"})

    assert form.is_valid() is False
    assert form.errors["amount"] == ["Saisissez un nombre."]


def test_euro_amount_is_shown_back_with_a_comma():
    form = AmountForm(initial={"amount": Decimal("2500")})

    assert 'value="2500,00"' in str(form["amount"])


class _Sample(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il figure sur vos statuts.")
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "Association"), ("b", "Collectif")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="J'accepte", required=False)

    def clean(self):
        raise forms.ValidationError("Les deux ne vont pas ensemble.")


def test_crispy_renders_forms_with_the_portals_accessible_markup():
    form = _Sample(data={"name": ""})

    html = Template("{{ form|crispy }}").render(Context({"form": form}))

    # The summary first, then the « * » note, in French.
    assert html.index("Le formulaire contient des erreurs.") < html.index("astérisque (*)")
    assert "<li>Les deux ne vont pas ensemble.</li>" in html
    # The input names its help and its error; the error carries that id.
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul id="id_name_error" class="portal-field-errors">' in html
    assert '<div id="id_name_helptext" class="form-text mt-0 mb-1">' in html
    assert '<label class="form-label fw-semibold" for="id_name">Nom *</label>' in html
    # A radio group is a fieldset whose legend is the question.
    assert '<fieldset class="portal-fieldset mb-3" aria-describedby="id_kind_error">' in html
    assert '<legend class="form-label fw-semibold">Type *</legend>' in html
    assert '<label class="form-check-label" for="id_agree">J&#x27;accepte</label>' in html
    assert 'class="form-control' in html and "asteriskField" not in html


CHOICES = [("", "Toutes"), ("Val-de-Marne", [(1, "Ivry & Vitry"), (2, "Orly")]), (3, "<Autre>")]


@pytest.mark.parametrize("value", [2, None, "3"])
def test_a_plain_select_writes_the_markup_of_djangos_select(value):
    attrs = {"class": "form-select", "id": "id_commune", "required": True, "disabled": False}

    django_markup = forms.Select(attrs=attrs, choices=CHOICES).render("commune", value)
    plain_markup = PlainSelect(attrs=attrs, choices=CHOICES).render("commune", value)

    assert re.sub(r"\s*\n\s*", "", django_markup) == plain_markup
    assert plain_markup.count(" selected>") == 1  # None: the empty choice


class ChoiceForm(BootstrapFormMixin, forms.Form):
    commune = forms.ChoiceField(label="Commune", choices=CHOICES)
    several = forms.MultipleChoiceField(label="Plusieurs", choices=CHOICES[2:])


def test_plain_selects_keeps_the_classes_and_the_choices_and_leaves_multiple_lists():
    form = ChoiceForm({"commune": "1"})
    plain_selects(form)

    assert type(form.fields["commune"].widget) is PlainSelect
    assert type(form.fields["several"].widget) is forms.SelectMultiple
    assert str(form["commune"]) == (
        '<select name="commune" class="form-select" id="id_commune" required>'
        '<option value="">Toutes</option><optgroup label="Val-de-Marne">'
        '<option value="1" selected>Ivry &amp; Vitry</option><option value="2">Orly</option>'
        '</optgroup><option value="3">&lt;Autre&gt;</option></select>'
    )
