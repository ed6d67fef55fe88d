"""The public face (home, legal pages, site map) and the signed-in space."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts import selectors as account_selectors
from accounts.forms import CommuneLookupForm
from core import public_cache
from core.links import absolute_url
from label_portal import space
from label_portal.space import SpaceBlocks
from laureates import selectors as laureate_selectors
from laureates.map import territory_map
from laureates.sitemaps import SITEMAPS
from network.sitemaps import SITEMAPS as NETWORK_SITEMAPS

# The « Derniers lauréats » of the home page: one row of cards.
HOME_LAUREATES = 3


@login_not_required
@public_cache.public_page()
def home(request):
    """Explain the label; the commune picker finds one's chef de projet without JS."""
    form = CommuneLookupForm(request.GET or None)
    commune = form.cleaned_data["commune"] if form.is_valid() else None
    return render(
        request,
        "pages/home.html",
        {
            "lookup_form": form,
            "commune": commune,
            "contract": commune.city_contract if commune else None,
            "latest_laureates": list(laureate_selectors.latest_public_cards(HOME_LAUREATES)),
            "territory_map": territory_map(laureate_selectors.public_laureates()),
        },
    )


@login_not_required
@public_cache.public_page()
def city_contracts(request):
    return render(
        request,
        "pages/city_contracts.html",
        {
            "contracts": account_selectors.public_city_contracts(),
            "unassigned_communes": account_selectors.communes_without_contract(),
        },
    )


class PublicPage(TemplateView):
    """A static page of the public face."""


def public_page(template_name: str, extra_context: dict | None = None):
    return login_not_required(
        public_cache.public_page()(
            PublicPage.as_view(template_name=template_name, extra_context=extra_context)
        )
    )


@login_not_required
@require_GET
@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
@public_cache.public_page()
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /espace/",
        "Disallow: /compte/",
        "Disallow: /admin/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap_xml'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
@public_cache.public_page()
def sitemap_xml(request):
    """The public pages for search engines, on the site address (laureates.sitemaps)."""
    return sitemap_views.sitemap(request, sitemaps={**SITEMAPS, **NETWORK_SITEMAPS})


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


class DashboardView(TemplateView):
    """Show, for each role the person holds, what that role has to do."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Read by the page's cached fragment only when it renders again (label_portal.space).
        context["space"] = SpaceBlocks(self.request.user)
        context["space_version"] = space.VERSION
        return context
