from decimal import Decimal

from django.utils.formats import number_format


def euros(value: Decimal) -> str:
    """An amount the French way: "12 500,00 €"."""
    return f"{number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)} €"
