import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    normalize_identifier,
    siret_valid,
    validate_postcode,
    validate_rna,
    validate_siret,
)


def test_siret_valid_with_luhn():
    assert siret_valid("73282932000074") is True


def test_siret_invalid_checksum_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        validate_siret("73282932000079")
    assert error.value.code == "invalid_siret_checksum"
    assert "n'existe pas" in error.value.messages[0]


def test_siret_of_la_poste_head_office_passes_luhn():
    assert siret_valid("35600000000048") is True


def test_siret_of_a_post_office_uses_digit_sum_modulo_5():
    # Digit sum 15: a multiple of 5, although Luhn fails.
    assert siret_valid("35600000000010") is True


def test_siret_of_la_poste_failing_both_rules_is_refused():
    assert siret_valid("35600000000011") is False


def test_siret_wrong_length_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_siret("7328293200007")
    assert error.value.code == "invalid_siret_format"


def test_rna_accepts_w_and_nine_digits():
    validate_rna("W941234567")


@pytest.mark.parametrize("value", ["941234567", "W94123456", "X941234567", "W9412345678"])
def test_rna_refuses_other_shapes(value):
    with pytest.raises(ValidationError) as error:
        validate_rna(value)
    assert "W suivie de 9 chiffres" in error.value.messages[0]


def test_normalize_identifier_drops_spaces_dots_and_dashes():
    assert normalize_identifier(" 732 829 320 00074 ") == "73282932000074"
    assert normalize_identifier("w941-234.567") == "W941234567"


@pytest.mark.parametrize("value", ["9420", "942000", "94 20", "abcde"])
def test_postcode_refuses_anything_but_five_digits(value):
    with pytest.raises(ValidationError):
        validate_postcode(value)
