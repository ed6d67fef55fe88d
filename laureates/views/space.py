"""The laureates' space: the list of one's laureate projects, each laureate's hub, its badge."""

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from core.forms import BootstrapFormMixin
from core.permissions import allowed, not_found, object_permission, permission
from laureates import badge, selectors
from laureates.certificate import certificate_facts

PAGE_SIZE = 25


def laureate_of(request, pk):
    """The laureate, if the person may see it (for ``object_permission``)."""
    return selectors.laureate_for(request.user, pk)


class LaureateYearFilterForm(BootstrapFormMixin, forms.Form):
    pass


class LaureateYearFilter(django_filters.FilterSet):
    annee = django_filters.ChoiceFilter(label="Édition", field_name="year", empty_label="Toutes")

    class Meta:
        form = LaureateYearFilterForm
        fields = []

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["annee"].extra["choices"] = [(year, str(year)) for year in years]


@permission("laureates.view_laureates")
def mine(request):
    """A member's laureate projects; for the coordination, every laureate, by edition."""
    base = selectors.laureate_list_for(request.user)
    laureate_filter = LaureateYearFilter(
        request.GET or None, queryset=base, years=selectors.laureate_years(base)
    )
    page = Paginator(laureate_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "laureates/space/mine.html",
        {
            "filter": laureate_filter,
            "page_obj": page,
            "laureates": page.object_list,
            "query": query.urlencode(),
        },
    )


@object_permission("laureates.view_laureate", get=laureate_of)
def space(request, laureate):
    """The laureate's hub: its public card, its certificate, its badge kit and its follow-up."""
    can_use_label = allowed(request.user, "laureates.use_label", laureate)
    return render(
        request,
        "laureates/space/space.html",
        {
            "laureate": laureate,
            "can_use_label": can_use_label,
            "can_change_card": allowed(request.user, "laureates.change_card", laureate),
            "can_view_followup": allowed(request.user, "laureates.view_followup", laureate),
            "facts": certificate_facts(laureate) if can_use_label else None,
            "badge_alt": badge.alt_text(laureate.year),
            "badge_sizes": badge.PNG_SIZES,
            "badge_minimum_width": badge.MINIMUM_WIDTH_PX,
        },
    )


@object_permission("laureates.use_label", get=laureate_of)
def badge_svg(request, laureate):
    """The badge as SVG: shown in the page, or downloaded with ``?telecharger=1``."""
    response = HttpResponse(badge.badge_svg(laureate.year), content_type="image/svg+xml")
    if request.GET.get("telecharger"):
        name = badge.badge_filename(laureate.year, "svg")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@object_permission("laureates.use_label", get=laureate_of)
def badge_png(request, laureate, size):
    """The badge as PNG, in one of the offered sizes."""
    width = badge.PNG_SIZES.get(size) or not_found()
    response = HttpResponse(badge.badge_png(laureate.year, width), content_type="image/png")
    name = badge.badge_filename(laureate.year, "png", size)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
