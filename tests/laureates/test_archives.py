"""Importing past laureates from a CSV file: idempotent, dry run, French report line by line."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from laureates.enums import CardState, ShowcaseState
from laureates.models import Laureate, Showcase
from laureates.services.archives import (
    ArchiveFileError,
    import_archive,
    parse_amount,
    parse_year,
    themes_from_text,
)
from submissions.enums import EditionState
from submissions.models import Edition
from tests.submissions.factories import EditionFactory

REAL_FILE = Path(__file__).resolve().parents[2] / "laureates" / "data" / "laureates.csv"
HEADER = "year,association,commune,title,pitch,theme,amount,source\n"


def run(path, *options) -> str:
    out = StringIO()
    call_command("import_laureates", str(path), *options, stdout=out)
    return out.getvalue()


def write(tmp_path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "archives.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_real_file_imports_its_one_laureate_published_with_the_year_note(db):
    output = run(REAL_FILE, "--publish")

    assert output.splitlines() == [
        "Import terminé : 1 créé, 0 mis à jour, 0 rejeté.",
        "Édition 2018 créée (archivée), avec sa vitrine.",
    ]
    laureate = Laureate.objects.get()
    assert laureate.year == 2018
    assert laureate.year_note == "édition non précisée : 2018 ou 2019"
    assert laureate.association_name == "EMA"
    assert laureate.commune.name == "Athis-Mons"
    assert laureate.themes == ["numerique"]
    assert laureate.amount_granted is None
    assert laureate.source.startswith("https://deveco.grandorlyseinebievre.fr/")
    assert laureate.pitch == (
        "Projet primé par le Label Actions Innovantes, porté par EMA à Athis-Mons."
    )
    assert laureate.state == CardState.PUBLISHED
    assert laureate.is_public is True
    assert laureate.is_demo is False
    assert laureate.slug == (
        "plateforme-numerique-de-decouverte-des-equipements-proches-du-quartier-noyer-renard-"
        "menee-avec-les-habitants"
    )
    edition = Edition.objects.get(year=2018)
    assert edition.state == EditionState.ARCHIVED
    assert edition.showcase.state == ShowcaseState.PUBLISHED
    assert edition.showcase.published_at is not None


def test_a_second_import_of_the_same_file_creates_nothing(db):
    run(REAL_FILE, "--publish")

    output = run(REAL_FILE, "--publish")

    assert output.splitlines() == [
        "Import terminé : 0 créé, 0 mis à jour, 0 rejeté (1 déjà à jour)."
    ]
    assert Laureate.objects.count() == 1
    assert Showcase.objects.count() == 1


def test_a_second_import_updates_what_changed(db, tmp_path):
    first = HEADER + "2019,Les Voisins,Orly,Jardin partagé,Un jardin,environnement,4000,\n"
    run(write(tmp_path, first))
    second = HEADER + "2019,Les voisins,ORLY,jardin partagé,Un jardin ouvert,culture,4500,\n"

    output = run(write(tmp_path, second))

    assert output.splitlines()[0] == "Import terminé : 0 créé, 1 mis à jour, 0 rejeté."
    laureate = Laureate.objects.get()
    assert (laureate.title, laureate.pitch, laureate.themes, laureate.amount_granted) == (
        "Jardin partagé",
        "Un jardin ouvert",
        ["culture"],
        Decimal("4500.00"),
    )


def test_without_publish_the_new_showcase_waits_in_preparation(db):
    run(REAL_FILE)

    laureate = Laureate.objects.get()
    assert laureate.edition.showcase.state == ShowcaseState.DRAFT
    assert laureate.state == CardState.PUBLISHED
    assert laureate.is_public is False


def test_a_dry_run_reports_the_same_counts_and_writes_nothing(db):
    output = run(REAL_FILE, "--dry-run", "--publish")

    assert output.splitlines()[0] == (
        "Simulation (rien n'est enregistré) : 1 créé, 0 mis à jour, 0 rejeté."
    )
    assert Laureate.objects.count() == 0
    assert Edition.objects.filter(year=2018).exists() is False
    assert Showcase.objects.count() == 0


def test_rejected_lines_are_numbered_and_explained_the_others_are_imported(db, tmp_path):
    text = HEADER + (
        "2019,Asso A,Orly,Bon projet,,sport,3000,\n"
        "deux mille,Asso B,Orly,Projet B,,,,\n"
        "2020,Asso C,Paris,Projet C,,,,\n"
        "2020,Asso D,Orly,,,,,\n"
        "2021,Asso E,Orly,Projet E,,,beaucoup,\n"
        "2021,Asso F\x00,Orly,Projet F,,,,\n"
        "2015,Asso G,Orly,Projet G,,,,\n"
        "2019,Asso A,Orly,Bon projet,,sport,3000,\n"
    )

    output = run(write(tmp_path, text))

    assert output.splitlines() == [
        "Import terminé : 1 créé, 0 mis à jour, 7 rejetés.",
        "Édition 2019 créée (archivée), avec sa vitrine.",
        "Ligne 3 rejetée : l'année « deux mille » n'est pas une année (par exemple 2019).",
        "Ligne 4 rejetée : la commune « Paris » n'est pas une commune du territoire "
        "(nom ou code INSEE).",
        "Ligne 5 rejetée : le titre du projet manque.",
        "Ligne 6 rejetée : le montant « beaucoup » n'est pas un nombre d'euros.",
        "Ligne 7 rejetée : la ligne contient un caractère invalide (octet nul).",
        "Ligne 8 rejetée : l'année 2015 précède la première édition du label (2018).",
        "Ligne 9 rejetée : le même lauréat est déjà à la ligne 2.",
    ]
    assert list(Laureate.objects.values_list("title", flat=True)) == ["Bon projet"]


def test_an_unknown_theme_keeps_the_line_without_theme_and_warns(db, tmp_path):
    text = HEADER + "2019,Asso,94054,Projet,,astronomie amateur,,\n"

    output = run(write(tmp_path, text))

    assert output.splitlines()[-1] == (
        "Ligne 2 : thème « astronomie amateur » non reconnu : lauréat importé sans thème."
    )
    laureate = Laureate.objects.get()
    assert (laureate.themes, laureate.commune.name) == ([], "Orly")


def test_a_line_of_an_edition_still_running_is_refused(db, tmp_path):
    EditionFactory(year=2020, state=EditionState.CLOSED)
    text = HEADER + "2020,Asso,Orly,Projet,,,,\n"

    output = run(write(tmp_path, text))

    assert output.splitlines()[1] == (
        "Ligne 2 rejetée : l'édition 2020 n'est pas archivée : ses lauréats viennent des "
        "résultats du jury, pas des archives."
    )
    assert Laureate.objects.count() == 0


def test_semicolons_and_french_amounts_are_read(db, tmp_path):
    text = "year;association;city;project;theme;amount_eur;source\n"
    text += "2022;Les Voisins;l'hay les roses;Fête;culture;4 500,50 €;archives\n"

    run(write(tmp_path, text))

    laureate = Laureate.objects.get()
    assert (laureate.commune.name, laureate.amount_granted) == (
        "L'Haÿ-les-Roses",
        Decimal("4500.50"),
    )


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        (
            "annee,nom,lieu\n2019,A,Orly\n",
            "utf-8",
            "L'en-tête du fichier ne convient pas : il manque les colonnes association, "
            "commune (ou city), title (ou project).",
        ),
        ("year,association,commune,title\n2019,Élan,Orly,Fête\n", "latin-1", "n'est pas en UTF-8"),
        ("", "utf-8", "Le fichier est vide."),
    ],
)
def test_a_malformed_file_gives_a_french_error(db, tmp_path, content, encoding, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(write(tmp_path, content, encoding))
    assert Laureate.objects.count() == 0


def test_a_missing_file_gives_a_french_error(db, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(tmp_path / "absent.csv")


def test_the_service_raises_its_own_error_for_a_bad_file(db):
    with pytest.raises(ArchiveFileError):
        import_archive(data=b"\xff\xfe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", (2019, "")),
        ("2018-2019 (édition non précisée)", (2018, "édition non précisée : 2018 ou 2019")),
        ("2018/2021", (2018, "édition non précisée : entre 2018 et 2021")),
        ("2020 (reportée)", (2020, "reportée")),
    ],
)
def test_parse_year(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("4500", Decimal("4500.00")), ("4 500,5 €", Decimal("4500.50"))],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "-5", "NaN", "1e9"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("numérique / accès aux équipements", ["numerique"]),
        ("Lien social, jardins", ["environnement", "lien_social"]),
        ("Économie sociale et solidaire", ["ess"]),
        ("accès aux équipements", []),
    ],
)
def test_themes_from_text(text, expected):
    assert themes_from_text(text) == expected


def test_publish_does_not_bypass_an_existing_showcase_in_preparation(db):
    run(REAL_FILE)

    output = run(REAL_FILE, "--publish")

    assert output.splitlines()[-1] == (
        "La vitrine 2018 existait déjà sans être publiée : publiez-la depuis la page des vitrines."
    )
    assert Showcase.objects.get().state == ShowcaseState.DRAFT
