"""The laureates as open data: the columns of the CSV and JSON files, documented once.

Each ``Column`` says what it holds; the export views write the same columns
in both formats and the page « Données ouvertes » lists them with their
description, so the file and its documentation cannot drift apart.

The amount granted is given only for an edition whose showcase shows amounts
(``Showcase.show_amounts``), as on the public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core.links import absolute_url
from laureates.filters import LaureateFilter
from submissions.enums import Theme

if TYPE_CHECKING:
    from laureates.models import Laureate

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PUBLISHER = "Établissement public territorial Grand-Orly Seine Bièvre"
SOURCE = f"Label Actions Innovantes, {PUBLISHER}"
FILENAME_STEM = "laureats-label-actions-innovantes"
# Several values in one CSV cell; « ; » already separates the cells.
LIST_SEPARATOR = " | "


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key
    header: str  # the CSV header
    description: str
    value: Callable[[Laureate], Any]


def _amount(laureate: Laureate) -> Decimal | None:
    showcase = getattr(laureate.edition, "showcase", None)
    if showcase is None or not showcase.show_amounts:
        return None
    return laureate.amount_granted


def _contract(laureate: Laureate) -> str:
    if laureate.commune is None or laureate.commune.city_contract is None:
        return ""
    return laureate.commune.city_contract.short_name


COLUMNS = [
    Column("year", "Année", "Année de l'édition du label.", lambda c: c.year),
    Column("title", "Projet", "Titre public du projet.", lambda c: c.title),
    Column(
        "association", "Association", "Structure qui porte le projet.", lambda c: c.association_name
    ),
    Column(
        "pitch", "Accroche", "Ce que fait le projet, en une ou deux phrases.", lambda c: c.pitch
    ),
    Column(
        "description",
        "Présentation",
        "Présentation du projet (texte libre).",
        lambda c: c.description,
    ),
    Column(
        "commune",
        "Commune",
        "Commune du projet.",
        lambda c: c.commune.name if c.commune else "",
    ),
    Column(
        "commune_insee",
        "Code INSEE",
        "Code INSEE de la commune (5 caractères), à utiliser dans le filtre « commune ».",
        lambda c: c.commune.insee if c.commune else "",
    ),
    Column(
        "city_contract",
        "Contrat de ville",
        "Contrat de ville de la commune (2015-2023) ; vide si la commune n'en avait pas.",
        _contract,
    ),
    Column(
        "qpv_names",
        "Quartiers",
        "Quartiers prioritaires (QPV) visés par le projet. En CSV, séparés par « | ».",
        lambda c: [qpv.name for qpv in c.qpvs.all()],
    ),
    Column(
        "qpv_codes",
        "Codes des quartiers",
        "Codes officiels de ces quartiers (liste 2024, par exemple QN09127M), dans le même "
        "ordre, à utiliser dans le filtre « quartier ».",
        lambda c: [qpv.code for qpv in c.qpvs.all()],
    ),
    Column(
        "themes",
        "Thèmes",
        "Thèmes du projet. En CSV, séparés par « | ».",
        lambda c: [Theme(theme).label for theme in c.themes],
    ),
    Column(
        "theme_codes",
        "Codes des thèmes",
        "Codes de ces thèmes, dans le même ordre, à utiliser dans le filtre « theme ».",
        lambda c: list(c.themes),
    ),
    Column(
        "amount_granted",
        "Montant accordé (€)",
        "Financement accordé par le label, en euros. Vide quand l'édition ne publie pas "
        "ses montants.",
        _amount,
    ),
    Column("partners", "Partenaires", "Partenaires du projet (texte libre).", lambda c: c.partners),
    Column("website", "Site web", "Site web du projet ou de l'association.", lambda c: c.website),
    Column(
        "url",
        "Page du projet",
        "Adresse de la page du projet sur ce portail.",
        lambda c: absolute_url(c),
    ),
    Column(
        "published_at",
        "Publié le",
        "Date de publication de la fiche. En CSV : jj/mm/aaaa hh:mm, heure de Paris ; "
        "en JSON : ISO 8601 avec fuseau.",
        lambda c: c.published_at,
    ),
]


def csv_rows(laureates) -> list[list]:
    """One row per card, lists joined for a spreadsheet cell."""
    rows = []
    for laureate in laureates:
        row = []
        for column in COLUMNS:
            value = column.value(laureate)
            row.append(LIST_SEPARATOR.join(value) if isinstance(value, list) else value)
        rows.append(row)
    return rows


def json_records(laureates) -> list[dict]:
    """One object per card; amounts as numbers, dates in ISO 8601."""
    records = []
    for laureate in laureates:
        record = {}
        for column in COLUMNS:
            value = column.value(laureate)
            if isinstance(value, Decimal):
                value = float(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            record[column.key] = value
        records.append(record)
    return records


def filter_laureates(laureates: QuerySet[Laureate], params) -> QuerySet[Laureate]:
    """Keep the cards matching the list's filters; raise ValidationError on a value it refuses.

    The exports read the public list's own filter set (``laureates.filters``):
    the same parameters select the same cards. A value the list does not offer
    is explained (one French sentence per parameter) rather than ignored.
    """
    filterset = LaureateFilter(params, queryset=laureates)
    if not filterset.is_valid():
        raise ValidationError(
            "\n".join(
                f"Paramètre « {name} » : {' '.join(messages)}"
                for name, messages in filterset.errors.items()
            )
        )
    return filterset.qs
