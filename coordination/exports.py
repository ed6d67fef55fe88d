"""The coordination's exports: three datasets, their columns in French, one way to build them.

A small export (``SMALL_EXPORT_ROWS`` rows at most) is answered at once by
``core.exports.export_response``; a larger one becomes a background file
(``core.files``, kind « coordination-export ») whose builder writes the same
table through the same neutralising writer (``core.exports.table_bytes``).
Both read the rows through the selectors with the person who asked, so a
chef de projet's file holds his territory only, whoever builds it.

The jurors' comments on their evaluations are private: they are a column
only when the coordinator ticks « inclure les commentaires des jurés ».
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpResponse

from coordination import selectors
from core import files
from core.audit import record_export
from core.exports import FORMATS, export_response, table_bytes
from core.models import BackgroundFile
from submissions.enums import Theme
from submissions.models import Edition

SMALL_EXPORT_ROWS = 500
# How often a background export tells its progress, in rows.
PROGRESS_STEP = 100
THEMES = dict(Theme.choices)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Any]
    default: bool = True


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    # The sheet's title, the file's name and the audit trail's words.
    what: str
    slug: str
    columns: tuple[Column, ...]
    # The jurors' private comments: a column added only on request.
    private_column: Column | None = None
    # Only the coordination may export it (not a chef de projet).
    coordination_only: bool = False
    needs_edition: bool = False

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def default_columns(self) -> list[str]:
        return [column.key for column in self.columns if column.default]

    def chosen(self, keys: Sequence[str], *, private: bool) -> list[Column]:
        """The columns in the dataset's order, the private one last when asked for."""
        wanted = set(keys)
        columns = [column for column in self.columns if column.key in wanted]
        if private and self.private_column is not None:
            columns.append(self.private_column)
        return columns

    def rows(self, user, edition: Edition | None):
        if self.key == "projets":
            return selectors.exportable_projects(user, edition)
        if self.key == "accompagnement":
            return selectors.exportable_coaching_entries(user, edition)
        return selectors.exportable_results(user, edition)


def _name(user) -> str:
    return user.get_full_name() if user is not None else "compte supprimé"


def _themes(project) -> str:
    return ", ".join(THEMES.get(theme, theme) for theme in project.themes)


def _qpvs(project) -> str:
    return ", ".join(qpv.name for qpv in project.qpvs.all())


def _contract(project) -> str:
    return project.city_contract.short_name if project.city_contract else "À attribuer"


PROJECTS = Dataset(
    key="projets",
    label="Projets",
    what="Projets",
    slug="projets",
    columns=(
        Column("numero", "N°", lambda p: p.pk),
        Column("titre", "Titre", lambda p: p.title),
        Column("association", "Association", lambda p: p.association.name),
        Column("etat", "État", lambda p: p.get_state_display()),
        Column("edition", "Édition", lambda p: p.edition.year if p.edition else None),
        Column("contrat", "Contrat de ville", _contract),
        Column("commune", "Commune", lambda p: p.commune.name if p.commune else ""),
        Column("qpv", "Quartiers (QPV)", _qpvs),
        Column("themes", "Thèmes", _themes),
        Column("montant", "Montant demandé (€)", lambda p: p.amount_requested),
        Column("personnes", "Personnes attendues", lambda p: p.expected_people),
        Column("propose_le", "Proposé le", lambda p: p.proposed_at),
        Column("depose_le", "Déposé le", lambda p: p.deposited_at),
        Column("resume", "Résumé", lambda p: p.summary, default=False),
        Column("besoin", "Le besoin dans le quartier", lambda p: p.need, default=False),
        Column("innovation", "Ce qui est innovant", lambda p: p.innovation, default=False),
        Column(
            "implication", "L'implication des habitants", lambda p: p.involvement, default=False
        ),
        Column("public", "Le public visé", lambda p: p.target_public, default=False),
        Column("partenaires", "Les partenaires", lambda p: p.partners, default=False),
        Column("calendrier", "Le calendrier", lambda p: p.calendar, default=False),
        Column("motif", "Motif de l'examen", lambda p: p.review_comment, default=False),
        Column("modifie_le", "Modifié le", lambda p: p.updated_at, default=False),
    ),
)

COACHING = Dataset(
    key="accompagnement",
    label="Entrées d'accompagnement",
    what="Accompagnement",
    slug="accompagnement",
    columns=(
        Column("projet", "Projet", lambda e: e.project.title),
        Column("association", "Association", lambda e: e.project.association.name),
        Column("contrat", "Contrat de ville", lambda e: _contract(e.project)),
        Column("date", "Date", lambda e: e.happened_on),
        Column("type", "Type", lambda e: e.get_kind_display()),
        Column("auteur", "Auteur", lambda e: _name(e.author)),
        Column("compte_rendu", "Compte rendu", lambda e: e.text),
        Column("prochaines_etapes", "Prochaines étapes", lambda e: e.next_steps),
        Column("visibilite", "Visibilité", lambda e: e.get_visibility_display()),
        Column("ecrite_le", "Écrite le", lambda e: e.created_at, default=False),
    ),
)


def _decision(row) -> str:
    return row.proposal.get_decision_display() if row.proposal else "Pas encore proposée"


RESULTS = Dataset(
    key="resultats",
    label="Résultats du jury",
    what="Résultats du jury",
    slug="resultats-jury",
    coordination_only=True,
    needs_edition=True,
    columns=(
        Column("seance", "Séance", lambda r: r.session.title),
        Column("rang", "Rang", lambda r: r.rank),
        Column("projet", "Projet", lambda r: r.project.title),
        Column("association", "Association", lambda r: r.project.association.name),
        Column("evaluations", "Évaluations", lambda r: r.stats.progress_label),
        Column("moyenne", "Moyenne (sur 100)", lambda r: r.stats.mean),
        Column("mediane", "Médiane (sur 100)", lambda r: r.stats.median),
        Column("ecart", "Écart entre jurés", lambda r: r.stats.spread, default=False),
        Column("proposition", "Proposition du jury", _decision),
        Column(
            "montant",
            "Montant proposé (€)",
            lambda r: r.proposal.amount if r.proposal else None,
        ),
        Column(
            "justification",
            "Justification",
            lambda r: r.proposal.justification if r.proposal else "",
            default=False,
        ),
        Column("etat", "État du projet", lambda r: r.project.get_state_display()),
    ),
    private_column=Column(
        "commentaires_jures",
        "Commentaires des jurés (privés)",
        lambda r: "\n".join(r.private_comments),
    ),
)

DATASETS = {dataset.key: dataset for dataset in (PROJECTS, COACHING, RESULTS)}


@dataclass(frozen=True)
class Request:
    """What a person asked for: read from the form, or from a background file's parameters."""

    dataset: Dataset
    edition: Edition | None
    columns: tuple[str, ...]
    fmt: str
    private: bool

    @property
    def parameters(self) -> dict:
        return {
            "dataset": self.dataset.key,
            "edition": self.edition.pk if self.edition else None,
            "columns": list(self.columns),
            "format": self.fmt,
            "private": self.private,
        }

    @classmethod
    def from_parameters(cls, parameters: dict) -> Request:
        edition_pk = parameters.get("edition")
        return cls(
            dataset=DATASETS[parameters["dataset"]],
            edition=Edition.objects.get(pk=edition_pk) if edition_pk else None,
            columns=tuple(parameters["columns"]),
            fmt=parameters["format"],
            private=bool(parameters.get("private")),
        )

    @property
    def header(self) -> list[str]:
        return [column.label for column in self.dataset.chosen(self.columns, private=self.private)]

    @property
    def filename(self) -> str:
        """Without extension: « projets-2026 », « accompagnement-toutes-editions »."""
        year = str(self.edition.year) if self.edition else "toutes-editions"
        return f"{self.dataset.slug}-{year}"

    @property
    def title(self) -> str:
        year = f"édition {self.edition.year}" if self.edition else "toutes les éditions"
        return f"{self.dataset.label} — {year} ({self.fmt.upper()})"

    def subject(self, user):
        """What the audit trail files the export under: the edition, or the person's own account."""
        return self.edition if self.edition is not None else user


def table_rows(
    request: Request, items: Iterable, progress: Callable[[int], None] | None = None
) -> list[list]:
    """The rows of the chosen columns, in order; ``progress(done)`` every PROGRESS_STEP rows."""
    columns = request.dataset.chosen(request.columns, private=request.private)
    rows = []
    for index, item in enumerate(items, start=1):
        rows.append([column.value(item) for column in columns])
        if progress is not None and index % PROGRESS_STEP == 0:
            progress(index)
    return rows


def rows_and_count(request: Request, user) -> tuple[Any, int]:
    """The items to export for this person (a queryset or a list), and how many there are."""
    items = request.dataset.rows(user, request.edition)
    return items, len(items) if isinstance(items, list) else items.count()


def build_export(row: BackgroundFile, progress: files.Progress) -> files.Built:
    """Build a large export for its owner, through the same selectors and writer as a small one."""
    request = Request.from_parameters(row.parameters)
    items, total = rows_and_count(request, row.owner)
    progress(0, total)
    if not isinstance(items, list):
        items = items.iterator(chunk_size=PROGRESS_STEP)
    rows = table_rows(request, items, progress)
    content = table_bytes(request.fmt, request.dataset.what, request.header, rows)
    return files.Built(
        content=content,
        filename=f"{request.filename}.{request.fmt}",
        content_type=FORMATS[request.fmt],
    )


def export_now(*, user, request: Request, items: Iterable) -> HttpResponse:
    """Answer a small export at once (noted in the audit trail by ``export_response``)."""
    return export_response(
        actor=user,
        subject=request.subject(user),
        what=request.dataset.what,
        fmt=request.fmt,
        filename=request.filename,
        header=request.header,
        rows=table_rows(request, items),
    )


@transaction.atomic
def export_later(
    *, user, request: Request, total: int, submission_key=None
) -> tuple[BackgroundFile, bool]:
    """Queue a large export as a background file; note it in the audit trail once."""
    row, created = files.request_file(
        owner=user,
        kind=selectors.EXPORT_KIND,
        title=request.title,
        parameters=request.parameters,
        total=total,
        submission_key=submission_key,
    )
    if created:
        record_export(
            actor=user,
            subject=request.subject(user),
            what=request.dataset.what,
            fmt=request.fmt,
            rows=total,
            columns=request.header,
        )
    return row, created


def register() -> None:
    files.register(selectors.EXPORT_KIND, build_export)
