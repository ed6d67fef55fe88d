"""The filters of the coordination's lists."""

import django_filters
from django import forms

from coordination import audit, selectors
from core.forms import BootstrapFormMixin

# --- audit ---------------------------------------------------------------------------------


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", "La date de fin est avant la date de début.")
        return cleaned


def _actor_choices():
    return [(str(user.pk), f"{user} ({user.email})") for user in selectors.audit_actors()]


def _kind_choices():
    return sorted(
        (
            (f"{kind.app_label}.{kind.model}", audit.kind_label(kind))
            for kind in selectors.audit_kinds()
        ),
        key=lambda choice: choice[1],
    )


class AuditFilter(django_filters.FilterSet):
    """Who did it, to what kind of object, what kind of action, between which dates."""

    personne = django_filters.ChoiceFilter(
        label="Personne", choices=_actor_choices, field_name="actor_id", empty_label="Toutes"
    )
    objet = django_filters.ChoiceFilter(
        label="Type d'objet", choices=_kind_choices, method="filter_kind", empty_label="Tous"
    )
    numero = django_filters.NumberFilter(
        label="N° de l'objet",
        field_name="object_id",
        widget=forms.NumberInput(attrs={"min": 1}),
        min_value=1,
    )
    action = django_filters.ChoiceFilter(
        label="Type d'action",
        choices=audit.CATEGORIES,
        method="filter_category",
        empty_label="Toutes",
    )
    du = django_filters.DateFilter(
        label="Du",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = django_filters.DateFilter(
        label="Au",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        form = AuditFilterForm
        fields: list[str] = []

    def filter_kind(self, queryset, name, value):
        app_label, model = value.split(".", 1)
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)

    def filter_category(self, queryset, name, value):
        return queryset.filter(audit.category_filter(value))
