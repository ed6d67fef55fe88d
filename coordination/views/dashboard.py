"""The dashboard: an edition's figures for the whole territory or one contrat de ville."""

from functools import cached_property

from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

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
    """The form as the page shows it: what is not asked is the current edition, the page's contrat."""
    editions = selectors.dashboard_editions()
    current = selectors.current_edition(editions)
    data = request.GET.copy()
    if current is not None:
        data.setdefault("edition", str(current.year))
    if contract is not None:
        data["contrat"] = str(contract.pk)
    form = DashboardFilterForm(
        data,
        editions=editions,
        contracts=selectors.dashboard_contracts_visible_to(request.user),
        choose_contract=allowed(request.user, "coordination.view_territory_dashboard"),
    )
    chosen = form.cleaned_data.get("edition") if form.is_valid() else None
    edition = next((e for e in editions if e.year == chosen), current)
    scope = stats.Scope(edition=edition, contract=contract) if edition else None
    return form, scope


class DashboardPage:
    """What a dashboard page shows of its scope, each part read when the page first uses it.

    The parts are shown inside the page's cached fragment (version stats.VERSION, per
    viewer and query string): while it is kept, none of them is read.
    """

    def __init__(self, user, scope: stats.Scope | None):
        self.user, self.scope = user, scope

    @cached_property
    def contracts(self) -> list[CityContract]:
        """The contrats de ville the territory's page links to (none on a contract's page)."""
        if self.scope is None or self.scope.contract is not None:
            return []
        return list(selectors.dashboard_contracts_visible_to(self.user))

    @cached_property
    def figures(self) -> SafeString:
        if self.scope is None:  # no edition yet: the page says so, and shows no figures
            return SafeString("")
        return charts.figures_html(self.scope)


def _page(request, form, scope):
    context = {
        "form": form,
        "scope": scope,
        "page": DashboardPage(request.user, scope),
        "show_territory_link": allowed(request.user, "coordination.view_territory_dashboard"),
        "figures_version": stats.VERSION,
    }
    status = 200 if form.is_valid() else 400
    return render(request, "coordination/dashboard.html", context, status=status)
