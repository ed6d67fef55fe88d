"""The filters of the public list /laureats/: year, commune, quarter, theme and words.

The query parameters (``annee``, ``commune``, ``quartier``, ``theme``, ``q``)
are shared with the open-data exports, which read the same filter set.
"""

import django_filters
from django import forms

from accounts.models import Commune, Qpv
from core.forms import BootstrapFormMixin, FastSelect
from laureates import search
from laureates.selectors import public_laureates
from submissions.enums import Theme


class SearchField(forms.CharField):
    """Words as typed: a NUL byte or a very long text is cut down, never refused."""

    def to_python(self, value):
        return search.clean_query(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def year_choices():
    years = public_laureates().order_by("-year").values_list("year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


def commune_choices():
    communes = Commune.objects.filter(laureates__is_public=True).distinct().order_by("name")
    return list(communes.values_list("insee", "name"))


def qpv_choices():
    qpvs = Qpv.objects.filter(laureates__is_public=True).distinct().order_by("name")
    return list(qpvs.values_list("code", "name"))


class LaureateFilterForm(BootstrapFormMixin, forms.Form):
    pass


class LaureateFilter(django_filters.FilterSet):
    """Filters on the public cards; each list of choices only offers what has laureates."""

    q = SearchFilter(label="Rechercher", method="filter_words")
    annee = django_filters.ChoiceFilter(
        label="Année",
        field_name="year",
        choices=year_choices,
        empty_label="Toutes",
        widget=FastSelect,
    )
    commune = django_filters.ChoiceFilter(
        label="Commune",
        field_name="commune__insee",
        choices=commune_choices,
        empty_label="Toutes",
        widget=FastSelect,
    )
    quartier = django_filters.ChoiceFilter(
        label="Quartier",
        field_name="qpvs__code",
        choices=qpv_choices,
        empty_label="Tous",
        widget=FastSelect,
    )
    theme = django_filters.ChoiceFilter(
        label="Thème",
        choices=Theme.choices,
        method="filter_theme",
        empty_label="Tous",
        widget=FastSelect,
    )

    class Meta:
        form = LaureateFilterForm
        fields: list[str] = []

    def filter_words(self, queryset, name, value):
        return search.search_laureates(queryset, value)

    def filter_theme(self, queryset, name, value):
        return queryset.filter(themes__contains=[value])
