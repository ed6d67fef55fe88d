"""The public pages of the laureates: the list with its filters, an edition, one project.

Nothing here is behind a login; what is not public (``Laureate.is_public``, a
published showcase) answers 404 through the selectors.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.vary import vary_on_headers
from django_filters.views import FilterView

from core import public_cache
from core.permissions import or_404
from laureates import selectors
from laureates.filters import LaureateFilter
from laureates.map import territory_map
from submissions.enums import Theme

PAGE_SIZE = 20


def _wants_fragment(request) -> bool:
    """htmx asks for the results region only; a history restore wants the whole page."""
    headers = request.headers
    return bool(headers.get("HX-Request")) and not headers.get("HX-History-Restore-Request")


@method_decorator(
    [
        login_not_required,
        public_cache.public_page(vary_on=("HX-Request",)),
        vary_on_headers("HX-Request"),
    ],
    "dispatch",
)
class LaureateListView(FilterView):
    """/laureats/: every public card, filtered by the GET form, 20 a page."""

    filterset_class = LaureateFilter
    paginate_by = PAGE_SIZE
    template_name = "laureates/public/laureate_list.html"

    def get_queryset(self):
        return selectors.public_cards()

    def get_template_names(self):
        if _wants_fragment(self.request):
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def paginate_queryset(self, queryset, page_size):
        # A page number out of range or not a number shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filters as chosen, for the page links and the open-data links.
        chosen = [
            (name, value)
            for name, value in self.request.GET.items()
            if name in self.filterset.filters and value
        ]
        context["query"] = urlencode(chosen)
        context["is_filtered"] = bool(chosen)
        context["fragment"] = _wants_fragment(self.request)
        if not context["fragment"]:
            # The whole territory, whatever the filters: a commune's link filters the list.
            context["territory_map"] = territory_map(selectors.public_laureates())
        return context


@login_not_required
@public_cache.public_page()
def laureate_year(request, year: int):
    """/laureats/<year>/: « Projets primés en <year> », its figures and its laureates."""
    showcase = or_404(selectors.public_showcase(year))
    return render(
        request,
        "laureates/public/laureate_year.html",
        {
            "showcase": showcase,
            "year": year,
            "figures": selectors.showcase_figures(showcase),
            "laureates": selectors.public_cards().filter(year=year),
        },
    )


@login_not_required
@public_cache.public_page()
def laureate_detail(request, year: int, slug: str):
    """/laureats/<year>/<slug>/: one laureate project."""
    laureate = or_404(selectors.public_card(year, slug))
    labels = dict(Theme.choices)
    return render(
        request,
        "laureates/public/laureate_detail.html",
        {
            "laureate": laureate,
            "themes": [(theme, labels.get(theme, theme)) for theme in laureate.themes],
            "show_amount": laureate.edition.showcase.show_amounts,
            "progress": selectors.public_progress(laureate),
        },
    )
