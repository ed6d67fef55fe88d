"""Checks of French identifiers, with messages a person can act on."""

import re

from django.core.exceptions import ValidationError

RNA_PATTERN = re.compile(r"W\d{9}")
SIRET_PATTERN = re.compile(r"\d{14}")
POSTCODE_PATTERN = re.compile(r"\d{5}")
# La Poste's establishments share one SIREN whose SIRETs fail the Luhn check.
LA_POSTE_SIREN = "356000000"


def normalize_identifier(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_rna(value: str) -> None:
    if not RNA_PATTERN.fullmatch(value):
        raise ValidationError(
            (
                "Le numéro RNA commence par la lettre W suivie de 9 chiffres "
                "(exemple : W941234567). Laissez le champ vide si votre association n'en a pas."
            ),
            code="invalid_rna",
        )


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def siret_valid(value: str) -> bool:
    if not SIRET_PATTERN.fullmatch(value):
        return False
    if value.startswith(LA_POSTE_SIREN):
        # The head office passes Luhn; the thousands of post offices, numbered
        # in sequence, only satisfy INSEE's digit-sum rule.
        return luhn_valid(value) or sum(int(char) for char in value) % 5 == 0
    return luhn_valid(value)


def validate_siret(value: str) -> None:
    if not SIRET_PATTERN.fullmatch(value):
        raise ValidationError(
            "Le numéro SIRET compte exactement 14 chiffres.", code="invalid_siret_format"
        )
    if not siret_valid(value):
        raise ValidationError(
            (
                "Ce numéro SIRET n'existe pas : un chiffre est sans doute mal recopié. "
                "Vérifiez-le sur votre avis de situation INSEE."
            ),
            code="invalid_siret_checksum",
        )


def validate_postcode(value: str) -> None:
    if not POSTCODE_PATTERN.fullmatch(value):
        raise ValidationError(
            "Le code postal compte exactement 5 chiffres (exemple : 94200).",
            code="invalid_postcode",
        )


def validate_no_null_byte(value: str) -> None:
    if "\x00" in (value or ""):
        raise ValidationError("Ce texte contient un caractère invalide.", code="null_byte")


def validate_french_phone(value: str) -> None:
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"(0\d{9}|\+33\d{9})", digits):
        raise ValidationError(
            "Numéro de téléphone à 10 chiffres attendu (exemple : 01 23 45 67 89).",
            code="invalid_phone",
        )
