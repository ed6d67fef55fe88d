"""Who the submission tests act as: an association of Ivry-sur-Seine, one of its members, and
the chef de projet of its contrat de ville (Seine-Amont)."""

import pytest

from accounts.models import CityContract, Commune
from tests.factories import AssociationFactory, UserFactory, member_of


@pytest.fixture
def association(db):
    return AssociationFactory(commune=Commune.objects.get(name="Ivry-sur-Seine"))


@pytest.fixture
def member(association):
    return member_of(association)


@pytest.fixture
def officer(db):
    return UserFactory(officer_contract=CityContract.objects.get(slug="seine-amont"))
