"""Reads of the coordination's tools, always through the person who asks."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import CityContract, User
from accounts.rules import is_coordinator, is_officer
from submissions.enums import EditionState
from submissions.models import Edition

# --- dashboard ---


def dashboard_contracts_visible_to(user: User | AnonymousUser) -> QuerySet[CityContract]:
    """The contrats de ville whose dashboard a person may open: all, his own, or none."""
    contracts = CityContract.objects.order_by("departement", "short_name")
    if is_coordinator(user):
        return contracts
    if is_officer(user):
        return contracts.filter(pk=getattr(user, "officer_contract_id", None) or 0)
    return contracts.none()


def own_dashboard_contract(user: User | AnonymousUser) -> CityContract | None:
    """The contrat de ville a chef de projet's dashboard opens on."""
    contract_id = getattr(user, "officer_contract_id", None)
    if contract_id is None:
        return None
    return dashboard_contracts_visible_to(user).filter(pk=contract_id).first()


def dashboard_editions() -> list[Edition]:
    """The editions a dashboard can show, newest first."""
    return list(Edition.objects.order_by("-year"))


def current_edition(editions: list[Edition]) -> Edition | None:
    """The edition a dashboard opens on: the one open to deposits, else the newest."""
    return next((e for e in editions if e.state == EditionState.OPEN), None) or next(
        iter(editions), None
    )
