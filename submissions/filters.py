from functools import cached_property

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict

from accounts.models import Association, Commune, Qpv
from core import cache_versions
from core.forms import BootstrapFormMixin, FastSelect
from submissions import selectors
from submissions.enums import ProjectState, Theme
from submissions.models import Edition, Message, Project, ThreadRead

# What waits for whom: the coach acts on these states.
WAITING_FOR_OFFICER = [ProjectState.PROPOSED, ProjectState.COACHING]
WAITING_FOR_COORDINATOR = [ProjectState.DEPOSITED, ProjectState.ELIGIBLE]


# The named cache version (core.cache_versions) of the lists the filters offer: the
# territory and the editions change a few times a year (submissions.apps watches them).
CHOICES_VERSION = "filter-choices"

# The named cache version of the inbox's lists (the per-viewer fragment of the page): what a
# row shows (the project, its association, its commune, the unread flag) and what the filters
# offer. submissions.apps watches these models.
INBOX_VERSION = "inbox"
INBOX_READ = (Project, Association, Commune, Qpv, Edition, Message, ThreadRead)

# The house standard for a long list.
INBOX_PER_PAGE = 20
ROW_FIELDS = (
    "title",
    "state",
    "city_contract",
    "updated_at",
    "association__name",
    "commune__name",
)


def _list_choices() -> dict[str, list[tuple[int, str]]]:
    return {
        "commune": list(Commune.objects.order_by("name").values_list("pk", "name")),
        "qpv": list(Qpv.objects.order_by("name").values_list("pk", "name")),
        "edition": [(edition.pk, str(edition)) for edition in Edition.objects.all()],
    }


def list_choices() -> dict[str, list[tuple[int, str]]]:
    """The communes, quartiers and editions a filter offers, from the cache."""
    return cache_versions.cached(CHOICES_VERSION, ("inbox",), _list_choices)


class InboxFilterForm(BootstrapFormMixin, forms.Form):
    """The inbox's filters: the lists read from the cache and written without a template each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in list_choices().items():
            # The widget's list only: choosing still checks the row exists (one query then).
            field = self.fields[name]
            field.widget.choices = [("", field.empty_label), *choices]


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="search")
    state = django_filters.ChoiceFilter(
        label="État",
        choices=[c for c in ProjectState.choices if c[0] != ProjectState.DRAFT],
        empty_label="Tous",
        widget=FastSelect,
    )
    commune = django_filters.ModelChoiceFilter(
        label="Commune",
        queryset=Commune.objects.order_by("name"),
        empty_label="Toutes",
        widget=FastSelect,
    )
    qpv = django_filters.ModelChoiceFilter(
        label="Quartier",
        queryset=Qpv.objects.order_by("name"),
        method="filter_qpv",
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
    edition = django_filters.ModelChoiceFilter(
        label="Édition", queryset=Edition.objects.all(), empty_label="Toutes", widget=FastSelect
    )
    waiting = django_filters.BooleanFilter(
        label="Seulement ce qui m'attend",
        method="filter_waiting",
        widget=forms.CheckboxInput,
    )
    unassigned = django_filters.BooleanFilter(
        label="Projets à attribuer (sans contrat de ville)",
        method="filter_unassigned",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.OrderingFilter(
        label="Trier par",
        fields=(("updated_at", "updated_at"), ("title", "title"), ("proposed_at", "proposed_at")),
        field_labels={
            "updated_at": "dernière modification",
            "title": "titre",
            "proposed_at": "date de proposition",
        },
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        form = InboxFilterForm
        fields = []

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.is_coordinator:
            del self.filters["unassigned"]

    def search(self, queryset, name, value):
        # Each half reads its own trigram index (core.search); an OR over the join read
        # every project and every association.
        by_title = Project.objects.filter(title__immutable_unaccent__icontains=value)
        by_association = Project.objects.filter(
            association__in=Association.objects.filter(name__immutable_unaccent__icontains=value)
        )
        return queryset.filter(pk__in=by_title.values("pk").union(by_association.values("pk")))

    def filter_qpv(self, queryset, name, value):
        # A subquery, not a join: each project stays one row, so no DISTINCT is needed
        # (which made every page of the inbox sort and count the whole list again).
        return queryset.filter(
            Exists(Project.qpvs.through.objects.filter(project=OuterRef("pk"), qpv=value))
        )

    def filter_theme(self, queryset, name, value):
        return queryset.filter(themes__contains=[value])

    def filter_waiting(self, queryset, name, value):
        if not value:
            return queryset
        states = WAITING_FOR_COORDINATOR if self.user.is_coordinator else WAITING_FOR_OFFICER
        condition = Q(state__in=states)
        if self.user.is_coordinator:
            condition |= Q(city_contract__isnull=True, state=ProjectState.PROPOSED)
        return queryset.filter(condition | Q(unread=True))

    def filter_unassigned(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(city_contract__isnull=True)


class InboxPage:
    """What the inbox shows, each part computed when the page first reads it.

    The page keeps these parts in a per-viewer cached fragment: while it holds,
    none of them is read, so none of their queries runs.
    """

    def __init__(self, user, data: QueryDict):
        self.user, self.data = user, data

    @property
    def scope(self) -> str:
        """Which projects the person's inbox holds: every one, or a contrat de ville's."""
        if selectors.inbox_covers_all(self.user):
            return "all"
        return f"contract:{self.user.officer_contract_id}"

    @cached_property
    def base(self):
        return selectors.inbox_for(self.user)

    @cached_property
    def filter(self) -> InboxFilter:
        return InboxFilter(self.data or None, queryset=self.base, user=self.user)

    @cached_property
    def page_obj(self) -> Page:
        # What a row shows, and nothing else (not the dossier's long texts, nor the contract).
        rows = (
            self.filter.qs.select_related(None)
            .select_related("association", "commune")
            .only(*ROW_FIELDS)
        )
        paginator = Paginator(rows, INBOX_PER_PAGE)
        if not self.narrowed:
            # The whole inbox: its size is the sum of the counts by state (one query fewer).
            paginator.count = sum(count for _state, _label, count in self.state_counts)
        return paginator.get_page(self.data.get("page"))

    @property
    def narrowed(self) -> bool:
        """Whether a filter leaves out some of the inbox (sorting and paging leave none out)."""
        return any(value for name, value in self.data.items() if name not in ("page", "sort"))

    @cached_property
    def state_counts(self) -> list[tuple[str, str, int]]:
        counts = selectors.state_counts(self.base)
        return [
            (state, label, counts.get(state, 0))
            for state, label in ProjectState.choices
            if state != ProjectState.DRAFT
        ]

    def query(self) -> str:
        """The filters' query string without the page number, for the pagination's links."""
        query = self.data.copy()
        query.pop("page", None)
        return query.urlencode()
