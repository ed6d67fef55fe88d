import uuid
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from core.forms import BootstrapFormMixin, EuroAmountField


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


CHOICES = [
    ("", "Toutes"),
    ("94054", "Orly"),
    ("94081", "Vitry-sur-Seine <\"&'>"),
    ("Quartiers", [("q1", "Les Aviateurs"), ("q2", "Balzac & Cie")]),
    (3, 2026),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("94081", {"class": "form-select", "required": True, "id": "id_commune"}),
        ("q2", {"aria-describedby": "aide", "disabled": False, "data-x": 'a"b'}),
        (3, {"multiple": False}),
    ],
)
def test_fast_select_writes_djangos_very_markup(value, attrs):
    from core.forms import FastSelect

    fast = FastSelect(choices=CHOICES).render("commune", value, attrs)
    django = forms.Select(choices=CHOICES).render("commune", value, attrs)

    assert fast == django


def test_fast_select_of_a_model_choice_field_is_the_same_as_djangos(db):
    from accounts.models import Commune
    from core.forms import FastSelect

    def field_html(widget):
        class Lookup(forms.Form):
            commune = forms.ModelChoiceField(
                Commune.objects.order_by("name"), empty_label="Choisissez", widget=widget
            )

        orly = Commune.objects.get(name="Orly").pk
        return str(Lookup({"commune": orly})["commune"])

    assert field_html(FastSelect) == field_html(forms.Select)
    assert "selected" in field_html(FastSelect)


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("6f1c2e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6", {"id": False, "class": "form-control"}),
        ('a"<b>', {"id": "id_key", "data-x": 'a"b', "disabled": True}),
        (uuid.UUID("6f1c2e9a-1b2c-4d5e-8f90-a1b2c3d4e5f6"), {"required": False}),
    ],
)
def test_fast_hidden_input_writes_djangos_very_markup(value, attrs):
    from core.forms import FastHiddenInput

    fast = FastHiddenInput().render("submission_key", value, attrs)
    django = forms.HiddenInput().render("submission_key", value, attrs)

    assert fast == django


def test_a_once_only_key_is_drawn_again_with_djangos_markup():
    from core.forms import OnceFormMixin

    class Note(OnceFormMixin):
        text = forms.CharField()

    first, second = str(Note()["submission_key"]), str(Note()["submission_key"])

    assert first != second
    assert first.startswith('<input type="hidden" name="submission_key" value="')
    assert (
        forms.HiddenInput(attrs={"id": False}).render(
            "submission_key", first.split('value="')[1][:36]
        )
        == first
    )
