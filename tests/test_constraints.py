"""No database constraint name ever reaches a page: each constraint explains itself in French."""

import re

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.utils import translation

from accounts.models import Commune
from tests.factories import AssociationFactory, UserFactory
from tests.utils import page

PORTAL_APPS = {
    "core",
    "accounts",
    "notifications",
    "submissions",
    "jury",
    "laureates",
    "network",
    "coordination",
    "privacy",
}
FRENCH_WORDS = re.compile(r"\b(le|la|les|l'|de|du|des|un|une|ce|cette|ces|est|a|se)\b", re.I)


def _constraints():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS:
            for constraint in model._meta.constraints:
                yield pytest.param(constraint, id=f"{model._meta.label}.{constraint.name}")


@pytest.mark.parametrize("constraint", list(_constraints()))
def test_every_constraint_has_a_french_message(constraint):
    with translation.override("fr"):
        message = str(constraint.violation_error_message)
        default = str(BaseConstraint.default_violation_error_message)

    assert message != default
    assert constraint.name not in message
    assert "%(name)s" not in message
    assert FRENCH_WORDS.search(message.replace("'", "' ")), message


def _association_data(**fields):
    return {
        "name": "Les Voisins",
        "kind": "association",
        "commune": Commune.objects.get(name="Ivry-sur-Seine").pk,
        **fields,
    }


@pytest.mark.parametrize(
    ("field", "typed", "stored", "label"),
    [
        ("rna", "W 941 234 567", "W941234567", "RNA"),
        ("siret", "732 829 320 00074", "73282932000074", "SIRET"),
    ],
)
def test_a_number_already_registered_says_who_can_invite_you(
    client, db, field, typed, stored, label
):
    AssociationFactory(**{field: stored})
    client.force_login(UserFactory())

    response = client.post("/espace/associations/nouvelle/", _association_data(**{field: typed}))

    text = page(response)
    assert response.status_code == 200
    assert f"Ce numéro {label} est celui d'une association déjà inscrite sur le portail." in text
    assert "Demandez à un membre de l'association de vous inviter depuis son espace" in text
    assert "contrainte" not in text
    assert f'value="{typed}"' in text
