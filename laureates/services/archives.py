"""Past laureates from the label's archives: a CSV file of past editions, imported again safely.

The label started in 2018; the editions before the portal left a list of
laureates (year, association, commune, title, theme, amount, source). Reading
the file (``parse_archive``) checks every line and says in French why a line
is refused; saving (``save_archive_rows``) creates the archived edition and
its showcase when missing, then creates or updates each laureate's card. A
laureate is known by its natural key (year, association, title): importing the
same file twice creates nothing the second time and updates what changed.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Association, Commune, Qpv
from core.text import plural
from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from submissions.enums import EditionState, Theme
from submissions.models import Edition

PARIS = ZoneInfo("Europe/Paris")
FIRST_YEAR = 2018  # the label's first edition

# Each column and the header names it may have (the real file says city, project, amount_eur).
COLUMNS = {
    "year": ("year", "annee", "edition"),
    "association": ("association", "structure"),
    "commune": ("commune", "city", "ville"),
    "title": ("title", "project", "projet", "titre"),
    "pitch": ("pitch", "accroche"),
    "theme": ("theme", "themes"),
    "amount": ("amount", "amount_eur", "montant"),
    "source": ("source",),
    "quartier": ("quartier", "quartiers", "qpv"),
}
REQUIRED = ("year", "association", "commune", "title")
FRENCH_NAMES = {
    "year": "year (année)",
    "association": "association",
    "commune": "commune (ou city)",
    "title": "title (ou project)",
}

# Words of a free-text theme (« numérique / accès aux équipements ») and the theme they mean.
THEME_WORDS: dict[str, tuple[str, ...]] = {
    Theme.EMPLOYMENT: ("emploi", "insertion", "formation professionnelle", "metier", "metiers"),
    Theme.EDUCATION: (
        "education",
        "jeunesse",
        "jeunes",
        "enfance",
        "enfants",
        "scolaire",
        "soutien scolaire",
    ),
    Theme.CULTURE: ("culture", "culturel", "art", "arts", "musique", "theatre", "patrimoine"),
    Theme.HEALTH: ("sante", "bien etre", "alimentation", "nutrition"),
    Theme.ENVIRONMENT: (
        "environnement",
        "cadre de vie",
        "ecologie",
        "jardin",
        "jardins",
        "nature",
        "climat",
        "biodiversite",
        "proprete",
    ),
    Theme.DIGITAL: ("numerique", "digital", "informatique", "internet"),
    Theme.SOCIAL: (
        "lien social",
        "citoyennete",
        "vivre ensemble",
        "participation",
        "intergenerationnel",
        "parentalite",
        "solidarite",
    ),
    Theme.SPORT: ("sport", "sports", "sportif"),
    Theme.SOCIAL_ECONOMY: ("ess", "economie sociale", "reemploi", "recyclage", "solidaire"),
    Theme.SAFETY: ("tranquillite", "securite", "mediation", "prevention"),
}


class ArchiveFileError(ValueError):
    """The file as a whole cannot be read: its message says why, in French."""


@dataclass
class ArchiveRow:
    """One laureate of the archives, checked and ready to save."""

    line: int
    year: int
    association_name: str
    title: str
    commune: Commune
    pitch: str = ""
    year_note: str = ""
    themes: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    source: str = ""
    qpvs: list[Qpv] = field(default_factory=list)
    # A demo laureate may belong to an association of the portal.
    association: Association | None = None


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run), line by line."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)
    editions_created: list[int] = field(default_factory=list)

    def summary(self) -> str:
        rejected = len(self.rejected)
        # In French, zero agrees in the singular: « 0 créé ».
        text = (
            f"{self.created} {plural(max(self.created, 1), 'créé', 'créés')}, "
            f"{self.updated} mis à jour, "
            f"{rejected} {plural(max(rejected, 1), 'rejeté', 'rejetés')}"
        )
        if self.unchanged:
            text += f" ({self.unchanged} déjà à jour)"
        return text + "."

    def lines(self) -> list[str]:
        """The report as a person reads it: the counts, then each refused line and warning."""
        head = "Simulation (rien n'est enregistré) : " if self.dry_run else "Import terminé : "
        lines = [head + self.summary()]
        for year in self.editions_created:
            lines.append(f"Édition {year} créée (archivée), avec sa vitrine.")
        for number, reason in self.rejected:
            lines.append(f"Ligne {number} rejetée : {reason}")
        for number, message in self.warnings:
            lines.append(f"Ligne {number} : {message}" if number else message)
        return lines


def normalize(text: str) -> str:
    """Lower case, without accents, punctuation as spaces: « L'Haÿ-les-Roses » → « l hay les roses »."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\bst\b", "saint", text)


def themes_from_text(text: str) -> list[str]:
    """The themes a free text names, in the order of the Theme enum (words, labels or values)."""
    words = f" {normalize(text)} "
    found = []
    for theme in Theme:
        candidates = (theme.value, normalize(theme.label), *THEME_WORDS[theme])
        if any(f" {normalize(candidate)} " in words for candidate in candidates):
            found.append(theme.value)
    return found


def parse_year(text: str) -> tuple[int, str]:
    """Return the year and its note: « 2018-2019 (édition non précisée) » → 2018 and a note.

    Raise ValueError, with the French reason, when the text is not a year.
    """
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{4}))?\s*(?:\((.*)\))?\s*", text)
    if not match:
        raise ValueError(f"l'année « {text} » n'est pas une année (par exemple 2019).")
    year, second, remark = int(match[1]), match[2], (match[3] or "").strip()
    if second:
        choice = f"{year} ou {second}" if int(second) == year + 1 else f"entre {year} et {second}"
        note = f"{remark or 'édition non précisée'} : {choice}"
    else:
        note = remark
    if year < FIRST_YEAR:
        raise ValueError(f"l'année {year} précède la première édition du label ({FIRST_YEAR}).")
    if year > timezone.localdate().year:
        raise ValueError(f"l'année {year} n'est pas encore passée.")
    return year, note[:100]


def parse_amount(text: str) -> Decimal | None:
    """Return the amount in euros (« 4 500,50 € » → 4500.50), None when empty; ValueError else."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]|eur(os?)?$", "", text.strip().lower())
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"le montant « {text} » n'est pas un nombre d'euros.") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000"):
        raise ValueError(f"le montant « {text} » n'est pas un montant possible.")
    return amount.quantize(Decimal("0.01"))


def _header_map(header: list[str]) -> dict[str, int]:
    by_name = {normalize(name).replace(" ", "_"): index for index, name in enumerate(header)}
    found = {}
    for column, names in COLUMNS.items():
        for name in names:
            if name in by_name:
                found[column] = by_name[name]
                break
    missing = [FRENCH_NAMES[column] for column in REQUIRED if column not in found]
    if missing:
        raise ArchiveFileError(
            "L'en-tête du fichier ne convient pas : "
            f"{plural(len(missing), 'il manque la colonne', 'il manque les colonnes')} "
            + ", ".join(missing)
            + ". Première ligne attendue : year,association,commune,title,pitch,theme,amount,source"
            " (ou year,association,city,project,theme,amount_eur,source)."
        )
    return found


@dataclass
class ParsedArchive:
    rows: list[ArchiveRow]
    rejected: list[tuple[int, str]]
    warnings: list[tuple[int | None, str]]


class _Lookups:
    """The communes and quartiers, read once, found by name (any accents, any case) or code."""

    def __init__(self):
        self.communes: dict[str, Commune] = {}
        for commune in Commune.objects.all():
            self.communes[commune.insee] = commune
            self.communes[normalize(commune.name)] = commune
        self.qpvs: dict[str, Qpv] = {}
        for qpv in Qpv.objects.all():
            self.qpvs[qpv.code.upper()] = qpv
            self.qpvs[normalize(qpv.name)] = qpv

    def commune(self, text: str) -> Commune | None:
        return self.communes.get(text.strip()) or self.communes.get(normalize(text))

    def qpv(self, text: str) -> Qpv | None:
        return self.qpvs.get(text.strip().upper()) or self.qpvs.get(normalize(text))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArchiveFileError(
            f"Le fichier n'est pas en UTF-8 (ligne {line}) : dans votre tableur, enregistrez-le "
            "au format « CSV UTF-8 », puis recommencez."
        ) from None


def parse_archive(data: bytes) -> ParsedArchive:
    """Read a CSV file of past laureates; raise ArchiveFileError when the file is unreadable."""
    text = _decode(data)
    if not text.strip():
        raise ArchiveFileError("Le fichier est vide.")
    first_line = text.splitlines()[0]
    # A French spreadsheet saves with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = _header_map(next(reader))
    except csv.Error as error:
        raise ArchiveFileError(f"Ligne 1 illisible : {error}.") from None
    lookups = _Lookups()
    parsed = ParsedArchive(rows=[], rejected=[], warnings=[])
    seen: dict[tuple, int] = {}
    while True:
        number = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ArchiveFileError(f"Ligne {number} illisible : {error}.") from None
        if not any(cell.strip() for cell in cells):
            continue
        try:
            row = _row(number, cells, columns, lookups, parsed.warnings)
        except ValueError as reason:
            parsed.rejected.append((number, str(reason)))
            continue
        key = (row.year, row.association_name.casefold(), row.title.casefold())
        if key in seen:
            parsed.rejected.append((number, f"le même lauréat est déjà à la ligne {seen[key]}."))
            continue
        seen[key] = number
        parsed.rows.append(row)
    return parsed


def _row(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    lookups: _Lookups,
    warnings: list[tuple[int | None, str]],
) -> ArchiveRow:
    """Check one line; raise ValueError with the French reason to refuse it."""
    if any("\x00" in cell for cell in cells):
        raise ValueError("la ligne contient un caractère invalide (octet nul).")

    def cell(column: str) -> str:
        index = columns.get(column)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    year, year_note = parse_year(cell("year"))
    association_name, title, pitch = cell("association"), cell("title"), cell("pitch")
    if not association_name:
        raise ValueError("l'association manque.")
    if not title:
        raise ValueError("le titre du projet manque.")
    for label, value, limit in [
        ("le nom de l'association", association_name, 200),
        ("le titre", title, 200),
        ("l'accroche", pitch, 300),
        ("la source", cell("source"), 500),
    ]:
        if len(value) > limit:
            raise ValueError(f"{label} dépasse {limit} caractères.")
    commune_text = cell("commune")
    if not commune_text:
        raise ValueError("la commune manque.")
    commune = lookups.commune(commune_text)
    if commune is None:
        raise ValueError(
            f"la commune « {commune_text} » n'est pas une commune du territoire "
            "(nom ou code INSEE)."
        )
    amount = parse_amount(cell("amount"))
    theme_text = cell("theme")
    themes = themes_from_text(theme_text)
    if theme_text and not themes:
        warnings.append(
            (number, f"thème « {theme_text} » non reconnu : lauréat importé sans thème.")
        )
    qpvs = []
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", cell("quartier")))):
        qpv = lookups.qpv(part)
        if qpv is None:
            warnings.append((number, f"quartier « {part} » inconnu : ignoré."))
        else:
            qpvs.append(qpv)
    return ArchiveRow(
        line=number,
        year=year,
        year_note=year_note,
        association_name=association_name,
        title=title,
        pitch=pitch,
        commune=commune,
        themes=themes,
        amount=amount,
        source=cell("source"),
        qpvs=qpvs,
    )


def _new_edition(year: int) -> Edition:
    """A past edition, created archived: it never ran on the portal, so it has no other state."""
    edition = Edition(
        year=year,
        title=f"Label Actions Innovantes {year}",
        opens_on=datetime.date(year - 1, 9, 1),
        deposit_deadline=datetime.datetime(year, 6, 5, 18, 0, tzinfo=PARIS),
        jury_starts_on=datetime.date(year, 6, 20),
        jury_ends_on=datetime.date(year, 6, 30),
        results_on=datetime.date(year, 7, 10),
        state=EditionState.ARCHIVED,
    )
    edition.full_clean()
    edition.save()
    return edition


def _showcase(
    edition: Edition, *, publish: bool, is_demo: bool, intro: str, report: ImportReport
) -> Showcase:
    """The edition's showcase; a new one is created published (``publish``) or in preparation."""
    showcase = Showcase.objects.filter(edition=edition).first()
    if showcase is None:
        # Created in its first state: published at once for an edition of the archives.
        showcase = Showcase(
            edition=edition,
            state=ShowcaseState.PUBLISHED if publish else ShowcaseState.DRAFT,
            published_at=timezone.now() if publish else None,
            intro=intro,
            is_demo=is_demo,
        )
        showcase.full_clean()
        showcase.save()
    elif publish and not showcase.is_published:
        report.warnings.append(
            (
                None,
                f"La vitrine {edition.year} existait déjà sans être publiée : "
                "publiez-la depuis la page des vitrines.",
            )
        )
    return showcase


def _unique_slug(edition: Edition, title: str) -> str:
    base = slugify(title)[:110].strip("-") or "laureat"
    taken = set(
        Laureate.objects.filter(edition=edition, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _default_pitch(row: ArchiveRow) -> str:
    return f"Projet primé par le Label Actions Innovantes, porté par {row.association_name} à {row.commune.name}."


@transaction.atomic
def save_archive_rows(
    *,
    rows: list[ArchiveRow],
    publish: bool = False,
    dry_run: bool = False,
    is_demo: bool = False,
    intros: dict[int, str] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Create or update the laureates of ``rows``, in one transaction (undone on a dry run)."""
    report = report or ImportReport()
    report.dry_run = dry_run
    editions: dict[int, Edition | None] = {}
    for row in rows:
        if row.year not in editions:
            editions[row.year] = _edition_for(
                row.year, publish=publish, is_demo=is_demo, intros=intros or {}, report=report
            )
        edition = editions[row.year]
        if edition is None:
            report.rejected.append(
                (
                    row.line,
                    f"l'édition {row.year} n'est pas archivée : ses lauréats viennent "
                    "des résultats du jury, pas des archives.",
                )
            )
            continue
        _save_row(row, edition, report=report, is_demo=is_demo)
    report.rejected.sort()
    if dry_run:
        transaction.set_rollback(True)
    return report


def _edition_for(
    year: int, *, publish: bool, is_demo: bool, intros: dict[int, str], report: ImportReport
) -> Edition | None:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        edition = _new_edition(year)
        report.editions_created.append(year)
    elif edition.state != EditionState.ARCHIVED:
        return None
    _showcase(edition, publish=publish, is_demo=is_demo, intro=intros.get(year, ""), report=report)
    return edition


def _save_row(row: ArchiveRow, edition: Edition, *, report: ImportReport, is_demo: bool) -> None:
    existing = (
        Laureate.objects.filter(
            year=row.year,
            association_name__iexact=row.association_name,
            title__iexact=row.title,
        )
        .select_related("edition__showcase")
        .first()
    )
    if existing is not None and existing.project_id:
        report.rejected.append(
            (row.line, "ce lauréat vient d'un dossier déposé sur le portail : non modifié.")
        )
        return
    values = {
        "year_note": row.year_note,
        "pitch": row.pitch or _default_pitch(row),
        "commune": row.commune,
        "themes": row.themes,
        "amount_granted": row.amount,
        "source": row.source,
    }
    if row.association is not None:
        values["association"] = row.association
    if existing is None:
        showcase = edition.showcase
        laureate = Laureate(
            edition=edition,
            year=edition.year,
            association_name=row.association_name,
            title=row.title,
            slug=_unique_slug(edition, row.title),
            # A card of the archives is published from the start; it is public with its showcase.
            state=CardState.PUBLISHED,
            published_at=timezone.now(),
            is_public=showcase.is_published,
            is_demo=is_demo,
            **values,
        )
        laureate.full_clean(exclude=["search_vector"])
        laureate.save()
        laureate.qpvs.set(row.qpvs)
        report.created += 1
        return
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    qpvs_changed = set(existing.qpvs.values_list("pk", flat=True)) != {q.pk for q in row.qpvs}
    if not changed and not qpvs_changed:
        report.unchanged += 1
        return
    for name in changed:
        setattr(existing, name, values[name])
    existing.full_clean(exclude=["search_vector"])
    existing.save(update_fields=[*changed, "updated_at"])
    if qpvs_changed:
        existing.qpvs.set(row.qpvs)
    report.updated += 1


def import_archive(*, data: bytes, publish: bool = False, dry_run: bool = False) -> ImportReport:
    """Import a CSV file of past laureates; raise ArchiveFileError when it cannot be read."""
    parsed = parse_archive(data)
    report = ImportReport(rejected=list(parsed.rejected), warnings=list(parsed.warnings))
    return save_archive_rows(rows=parsed.rows, publish=publish, dry_run=dry_run, report=report)
