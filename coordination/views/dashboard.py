"""The dashboard: an edition's figures for the whole territory or one contrat de ville."""

from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import CityContract
from coordination import charts, selectors, stats
from coordination.forms import DashboardFilterForm
from core.permissions import allowed, object_permission, or_404, permission


def _contract_url(contract: CityContract, edition) -> str:
    url = reverse("coordination:dashboard_contract", args=[contract.pk])
    return f"{url}?{urlencode({'edition': edition})}" if edition not in (None, "") else url


def _contract_of(request, pk):
    return selectors.dashboard_contracts_visible_to(request.user).filter(pk=pk).first()


@permission("coordination.view_dashboard")
def dashboard(request):
    """The whole territory; a chef de projet is sent on to his contrat de ville."""
    if not allowed(request.user, "coordination.view_territory_dashboard"):
        contract = or_404(selectors.own_dashboard_contract(request.user))
        return redirect(_contract_url(contract, request.GET.get("edition")))
    form, scope = _filter(request, contract=None)
    if form.is_valid() and form.cleaned_data.get("contrat"):
        return redirect(_contract_url(form.cleaned_data["contrat"], form.cleaned_data["edition"]))
    return _page(request, form, scope)


@object_permission("coordination.view_contract_dashboard", get=_contract_of)
def dashboard_contract(request, contract):
    form, scope = _filter(request, contract=contract)
    return _page(request, form, scope)


def _filter(request: HttpRequest, *, contract: CityContract | None):
    editions = selectors.dashboard_editions()
    contracts = selectors.dashboard_contracts_visible_to(request.user)
    choose_contract = allowed(request.user, "coordination.view_territory_dashboard")
    initial = {"contrat": contract.pk if contract else None}
    form = DashboardFilterForm(
        request.GET or None,
        initial=initial,
        editions=editions,
        contracts=contracts,
        choose_contract=choose_contract,
    )
    chosen = form.cleaned_data.get("edition") if form.is_valid() else None
    edition = next((e for e in editions if e.year == chosen), None)
    edition = edition or selectors.current_edition(editions)
    if not form.is_bound:
        form.initial["edition"] = edition.year if edition else None
    scope = stats.Scope(edition=edition, contract=contract) if edition else None
    return form, scope


def _page(request, form, scope):
    context = {
        "form": form,
        "scope": scope,
        "contracts": selectors.dashboard_contracts_visible_to(request.user)
        if scope and scope.contract is None
        else [],
        "show_territory_link": allowed(request.user, "coordination.view_territory_dashboard"),
    }
    if scope is not None:
        context.update(charts.dashboard(scope))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "coordination/dashboard.html", context, status=status)
