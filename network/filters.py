"""The filters of the network's lists.

« Annuaire »: the public directory /reseau/ (commune, theme, edition year,
kind and words) and the coordination's list of members (kind, active).
Each filter of the directory only looks at the pieces its reader may see: a
member who hides its commune is not found by commune, its hidden
presentation is not searched.
"""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchVector
from django.db.models import Case, Exists, F, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Concat

from accounts.models import Commune
from core.forms import BootstrapFormMixin, FastSelect
from core.search import ImmutableUnaccent
from laureates import search
from laureates.filters import SearchFilter
from laureates.models import SEARCH_CONFIG
from laureates.selectors import public_laureates
from network.enums import MemberKind
from network.models import NetworkMember
from submissions.enums import Theme

# --- Annuaire ------------------------------------------------------------------------------


def edition_choices():
    years = public_laureates().order_by("-year").values_list("year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


def commune_choices():
    return list(Commune.objects.order_by("name").values_list("insee", "name"))


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    pass


class DirectoryFilter(django_filters.FilterSet):
    """The directory's filters, for a reader who sees the pieces of ``audiences``."""

    q = SearchFilter(label="Rechercher", method="filter_words")
    commune = django_filters.ChoiceFilter(
        label="Commune",
        choices=commune_choices,
        method="filter_commune",
        empty_label="Toutes",
        widget=FastSelect,
    )
    theme = django_filters.ChoiceFilter(
        label="Thème",
        choices=Theme.choices,
        method="filter_theme",
        empty_label="Tous",
        widget=FastSelect,
    )
    annee = django_filters.ChoiceFilter(
        label="Édition du label",
        choices=edition_choices,
        method="filter_edition",
        empty_label="Toutes",
        widget=FastSelect,
        help_text="Les membres lauréats de cette édition.",
    )
    type = django_filters.ChoiceFilter(
        label="Type de membre",
        field_name="kind",
        choices=MemberKind.choices,
        empty_label="Tous",
        widget=FastSelect,
    )

    class Meta:
        form = DirectoryFilterForm
        fields: list[str] = []

    def __init__(self, *args, audiences: frozenset[str], **kwargs):
        self.audiences = audiences
        super().__init__(*args, **kwargs)

    def _visible_description(self):
        return Case(
            When(description_audience__in=self.audiences, then=F("description")),
            default=Value(""),
            output_field=TextField(),
        )

    def filter_words(self, queryset, name, value):
        description = self._visible_description()
        return search.search_words(
            queryset,
            value,
            document=SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector(description, weight="B", config=SEARCH_CONFIG),
            words=ImmutableUnaccent(
                Concat("name", Value(" "), description, output_field=TextField())
            ),
            order=["name", "pk"],
        )

    def filter_commune(self, queryset, name, value):
        acting = NetworkMember.communes.through.objects.filter(
            networkmember_id=OuterRef("pk"), commune__insee=value
        )
        return queryset.filter(place_audience__in=self.audiences).filter(
            Q(commune__insee=value) | Exists(acting)
        )

    def filter_theme(self, queryset, name, value):
        return queryset.filter(themes_audience__in=self.audiences, themes__contains=[value])

    def filter_edition(self, queryset, name, value):
        projects = public_laureates().filter(network_members=OuterRef("pk"), year=value)
        return queryset.filter(projects_audience__in=self.audiences).filter(Exists(projects))


class MemberAdminFilter(django_filters.FilterSet):
    """The coordination's list of members: by kind, active or not."""

    type = django_filters.ChoiceFilter(
        label="Type",
        field_name="kind",
        choices=MemberKind.choices,
        empty_label="Tous",
        widget=FastSelect,
    )
    actif = django_filters.ChoiceFilter(
        label="Membres",
        field_name="is_active",
        choices=[("1", "Actifs"), ("0", "Désactivés")],
        empty_label="Tous",
        widget=FastSelect,
    )

    class Meta:
        form = DirectoryFilterForm
        fields: list[str] = []
