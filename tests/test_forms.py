from decimal import Decimal

import pytest
from django import forms

from core.forms import EuroAmountField


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
